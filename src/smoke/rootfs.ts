import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { KpkgError } from '../util/errors.js';
import { withLock } from '../util/file-lock.js';
import { onInterrupt } from '../util/interrupt.js';
import { lastLines } from '../util/last-lines.js';
import { mountsBelow } from './mounts.js';
import type { Sandbox } from './sandbox/sandbox.js';
import { removeAsTargetRoot, unpackAsTargetRoot } from './sandbox/tree.js';

/**
 * What an external-module build (`make -C /lib/modules/<release>/build M=...`) itself runs on a
 * bare target, beyond the headers package — and nothing more, so that whatever the package's own
 * programs need must come from the package's declared Depends (the deb installer adds those):
 * - gcc (pulls binutils: as, ld, nm, objcopy) and make;
 * - libc6-dev: not needed by the module (-nostdinc) but by anything a headers package compiles on
 *   the target (`make scripts`, DKMS helpers), and gcc's Recommends which mmdebstrap skips;
 * - kmod: modinfo, to read the vermagic of the built module;
 * - mawk: Makefile.build pipes modules.order through $(AWK); awk is required but not Essential,
 *   so the apt variant lacks it.
 * No libelf1 (objtool, resolve_btfids) and no openssl (sign-file's libssl3; throwaway keys are made
 * on the build machine): a headers package that forgets to depend on them must fail here as it
 * would on a board. sh, sed, grep, coreutils and perl (recordmcount.pl) are Essential. bc, bison
 * and flex are only used when building the kernel itself, never by M= builds; pahole (dwarves) only
 * when vmlinux is in the build directory, which headers packages omit.
 * - xz-utils, zstd: tarballs' decompressors.
 * - busybox-static: what `smoke --boot`'s initramfs is made of. In every rootfs, so that a boot and a build-only
 *   run of the same packages share one cached rootfs (each package set is another mmdebstrap run on a cold
 *   cache); it installs /bin/busybox alone, no applet links, so it provides no command a package could lean on.
 * kmod brings libssl3 (libkmod2 reads module signatures), so sign-file's library is on every
 * Debian target anyway; libelf1 is not. rpm and pacman-package-manager are not in the base set:
 * both bring libelf1 (debugedit, libarchive13), so they go only into the rootfs of the formats
 * they install (FOREIGN_INSTALLERS).
 */
export const BASE_PACKAGES: readonly string[] = [
  'gcc',
  'make',
  'libc6-dev',
  'kmod',
  'mawk',
  'xz-utils',
  'zstd',
  'busybox-static',
];

/** The compiler of BASE_PACKAGES, which a bare rootfs (smoke --bare-rootfs) leaves to the packages' own relations. */
export const BASE_COMPILER: readonly string[] = ['gcc', 'libc6-dev'];

/**
 * The installers of the non-Debian formats (the target's own rpm and pacman), in every rootfs
 * that installs an .rpm, a pacman package or a tarball, so that those formats share one cached
 * rootfs per package set (each more is another 2–5 minute mmdebstrap run on a cold cache).
 */
export const FOREIGN_INSTALLERS: readonly string[] = ['rpm', 'pacman-package-manager'];

export interface RootfsSpec {
  readonly debianArch: string;
  readonly suite: string;
  /** Packages on top of the apt variant (Essential + apt). */
  readonly packages: readonly string[];
  /** Debian archive URI, e.g. http://deb.debian.org/debian. */
  readonly mirror: string;
  readonly cacheDir: string;
}

export interface RootfsTarball {
  readonly path: string;
  /** True when this call built it, false on a cache hit. */
  readonly built: boolean;
  readonly seconds: number;
}

/** Debian policy 5.6.1, plus an optional :arch qualifier. */
const DEBIAN_PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+(:[a-z0-9-]+)?$/;

/** Bump when the way rootfs tarballs are made changes, so old caches are not reused. */
const FORMAT_VERSION = 1;

/** File name (without extension) of the cached tarball for a spec: suite, arch and a hash of the rest. */
export function rootfsCacheName(spec: Omit<RootfsSpec, 'cacheDir'>): string {
  const packages = [...new Set(spec.packages)].sort();
  const identity = JSON.stringify([FORMAT_VERSION, spec.suite, spec.debianArch, spec.mirror, packages]);
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 12);
  return `${spec.suite}-${spec.debianArch}-${hash}`;
}

/** The mmdebstrap command line that builds the rootfs tarball `target`. */
export function mmdebstrapArgs(spec: RootfsSpec, target: string): string[] {
  const packages = [...new Set(spec.packages)].sort();
  return [
    // mmdebstrap's own user namespace with the invoking user's subordinate ids (the ones the sandbox
    // maps, src/smoke/sandbox/ids.ts): Debian's maintainer scripts never run as the build machine's root.
    '--mode=unshare',
    '--variant=apt',
    `--architectures=${spec.debianArch}`,
    // mmdebstrap's own emulation check needs arch-test; kpkg checked binfmt itself (ensureBinfmt,
    // which insists on the F flag, so no qemu binary has to be copied into the rootfs).
    '--skip=check/qemu',
    `--include=${packages.join(',')}`,
    '--aptopt=Acquire::Languages "none"',
    // Documentation is dead weight in a build chroot: smaller tarball, faster unpacking.
    '--dpkgopt=path-exclude=/usr/share/man/*',
    '--dpkgopt=path-exclude=/usr/share/info/*',
    '--dpkgopt=path-exclude=/usr/share/locale/*',
    '--dpkgopt=path-exclude=/usr/share/doc/*',
    '--dpkgopt=path-include=/usr/share/doc/*/copyright',
    spec.suite,
    target,
    // Only the release suite: -updates and -security indexes of foreign architectures have been
    // seen out of step with the main suite on mirrors, which makes apt's resolution fail.
    `deb ${spec.mirror} ${spec.suite} main`,
  ];
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function requireTool(command: string, args: string[], pkg: string): Promise<void> {
  try {
    await execa(command, args);
  } catch (cause) {
    throw new KpkgError(`${command} is not installed (needed for the emulated target rootfs)`, {
      hint: `apt-get install ${pkg}`,
      cause,
    });
  }
}

export interface EnsureRootfsOptions {
  /** Build a new tarball even if one is cached (e.g. after a point release). */
  readonly refresh?: boolean;
  /** Each output line of mmdebstrap, for --verbose. */
  readonly onLine?: (line: string) => void;
}

async function buildTarball(spec: RootfsSpec, finalPath: string, options: EnsureRootfsOptions): Promise<void> {
  await requireTool('mmdebstrap', ['--version'], 'mmdebstrap');
  await requireTool('zstd', ['--version'], 'zstd');
  // Temporary name in the cache directory (same file system, so the rename is atomic); it must
  // end in .tar.zst because mmdebstrap picks the format and compressor from the extension.
  const tempPath = finalPath.replace(/\.tar\.zst$/, `.tmp-${process.pid}.tar.zst`);
  const args = mmdebstrapArgs(spec, tempPath);
  const forget = onInterrupt(() => rm(tempPath, { force: true }));
  try {
    await runMmdebstrap(spec, args, options);
    await writeFile(
      finalPath.replace(/\.tar\.zst$/, '.packages'),
      `${[...new Set(spec.packages)].sort().join('\n')}\n`,
    );
    await rename(tempPath, finalPath);
  } finally {
    forget();
    await rm(tempPath, { force: true });
  }
}

async function runMmdebstrap(spec: RootfsSpec, args: string[], options: EnsureRootfsOptions): Promise<void> {
  const subprocess = execa('mmdebstrap', args, { all: true, reject: false, stdin: 'ignore' });
  if (options.onLine !== undefined) {
    const onLine = options.onLine;
    subprocess.all?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') onLine(line);
    });
  }
  const result = await subprocess;
  if (result.exitCode !== 0) {
    throw new KpkgError(
      `mmdebstrap could not build the ${spec.debianArch} ${spec.suite} rootfs:\n${lastLines(result.all, 30)}`,
      { where: spec.cacheDir, hint: `try it by hand: mmdebstrap ${args.map(shellQuote).join(' ')}` },
    );
  }
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The cached rootfs tarball for `spec`, built with mmdebstrap when missing. The binfmt handler of
 * the architecture must be registered first (see ensureBinfmt). Concurrent callers wait for one
 * build instead of building the same tarball twice.
 */
export async function ensureRootfsTarball(spec: RootfsSpec, options: EnsureRootfsOptions = {}): Promise<RootfsTarball> {
  const invalid = spec.packages.filter((name) => !DEBIAN_PACKAGE_NAME.test(name));
  if (invalid.length > 0) {
    throw new KpkgError(`not Debian package names: ${invalid.map((n) => `'${n}'`).join(', ')}`, {
      hint: 'give package names only (lower case, digits, + - .), e.g. libssl-dev; search with: apt-cache search <word>',
    });
  }
  const started = performance.now();
  const finalPath = join(spec.cacheDir, `${rootfsCacheName(spec)}.tar.zst`);
  const seconds = (): number => Math.round((performance.now() - started) / 100) / 10;
  if (!options.refresh && (await isFile(finalPath))) return { path: finalPath, built: false, seconds: seconds() };
  await mkdir(spec.cacheDir, { recursive: true });
  const lockDir = finalPath.replace(/\.tar\.zst$/, '.lock');
  return withLock(
    lockDir,
    async () => {
      if (!options.refresh && (await isFile(finalPath))) return { path: finalPath, built: false, seconds: seconds() };
      await buildTarball(spec, finalPath, options);
      return { path: finalPath, built: true, seconds: seconds() };
    },
    (owner) =>
      options.onLine?.(
        `waiting for ${owner === undefined ? 'another process' : `process ${owner}`}, which is building ${finalPath}`,
      ),
  );
}

/** A private, writable copy of a rootfs, owned by the target's ids; remove() deletes it. */
export interface UnpackedRootfs {
  readonly dir: string;
  remove(): Promise<void>;
}

/** Removes an unpacked rootfs (as the target's root, who owns it), refusing while anything is mounted inside it. */
export async function removeRootfsDir(sandbox: Sandbox, dir: string): Promise<void> {
  const mounted = await mountsBelow(dir);
  if (mounted.length > 0) {
    throw new KpkgError(`not removing ${dir}: ${mounted.join(', ')} still mounted there`, {
      where: dir,
      hint: `umount -R ${mounted.join(' ')} && rm -rf --one-file-system ${dir}`,
    });
  }
  await removeAsTargetRoot(sandbox, dir);
}

/**
 * Unpacks the tarball into a new temporary directory below `parent`, as the target's root of
 * `sandbox` (keeping the target's owners and modes). `parent` must be reachable by that id.
 */
export async function unpackRootfs(
  sandbox: Sandbox,
  tarball: string,
  parent: string = tmpdir(),
): Promise<UnpackedRootfs> {
  const dir = await mkdtemp(join(parent, 'kpkg-rootfs-'));
  try {
    await unpackAsTargetRoot(sandbox, tarball, dir);
  } catch (cause) {
    await removeRootfsDir(sandbox, dir);
    throw new KpkgError(`cannot unpack the rootfs tarball ${tarball} into ${parent}`, {
      where: tarball,
      hint: `the sandbox's root must reach ${parent} (ls -ld ${parent}: o+x on it and its parents); if the tarball is damaged, delete it so it is rebuilt: rm ${tarball}`,
      cause,
    });
  }
  const forget = onInterrupt(() => removeRootfsDir(sandbox, dir));
  return {
    dir,
    remove: async () => {
      forget();
      await removeRootfsDir(sandbox, dir);
    },
  };
}
