/**
 * Test helper (not used by kpkg itself): small but real packages for verify's tests, made with
 * the real tools — dpkg-deb, rpmbuild, tar with zstd/xz, GNU ar — around a minimal headers tree
 * whose programs are real ELF files from the installed (cross) compilers. A missing tool fails
 * the test with the command that installs it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { CrossBuildDir, GCC_TOOLCHAINS } from './cross-binaries.js';

const exec = promisify(execFile);

/** Debian package of each tool the fixtures run. */
const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  'dpkg-deb': 'dpkg',
  rpmbuild: 'rpm',
  tar: 'tar',
  zstd: 'zstd',
  xz: 'xz-utils',
  bzip2: 'bzip2',
  gzip: 'gzip',
  ar: 'binutils',
  cpio: 'cpio',
  openssl: 'openssl',
};

/** Runs a tool; a missing one fails with the apt-get command. */
export async function tool(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  try {
    const { stdout } = await exec(command, [...args], { maxBuffer: 64 * 1024 * 1024, ...options });
    return stdout;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `${command} is not installed; install it with: apt-get install ${TOOL_PACKAGES[command] ?? command} (or run tools/install-deps)`,
      );
    }
    const stderr = (e as { stderr?: unknown }).stderr;
    throw new Error(`${command} ${args.join(' ')} failed: ${typeof stderr === 'string' ? stderr : String(e)}`, {
      cause: e,
    });
  }
}

let sessionDir: string | undefined;

/** A new directory below one per test process, removed when the process exits. */
export async function tempDir(prefix = 'kpkg-verify-'): Promise<string> {
  if (sessionDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'kpkg-verify-tests-'));
    sessionDir = dir;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return mkdtemp(join(sessionDir, prefix));
}

async function put(root: string, path: string, content: string | Buffer, mode = 0o644): Promise<void> {
  const full = join(root, path);
  await mkdir(dirname(full), { recursive: true });
  await writeFile(full, content);
  await chmod(full, mode);
}

export interface MiniTreeOptions {
  release?: string;
  /** The machine its host programs (fixdep, modpost) are built for. */
  programsFor?: 'arm64' | 'amd64';
  /** Extra lines for include/config/auto.conf. */
  config?: readonly string[];
  /** Extra files: path (relative to the root of the install) → contents. */
  extra?: Readonly<Record<string, string | Buffer>>;
  /** Leave these out (paths relative to the headers tree). */
  omit?: readonly string[];
}

const hostPrograms = new Map<'arm64' | 'amd64', Promise<Buffer>>();

/** A real PIE program from the installed (cross) compiler for `machine`, compiled once per test process. */
function hostProgram(machine: 'arm64' | 'amd64'): Promise<Buffer> {
  let program = hostPrograms.get(machine);
  if (program === undefined) {
    program = (async () => {
      const compilers = await CrossBuildDir.create();
      try {
        return await readFile(await compilers.compile(GCC_TOOLCHAINS[machine], { kind: 'pie' }));
      } finally {
        await compilers.remove();
      }
    })();
    hostPrograms.set(machine, program);
  }
  return program;
}

export const MINI_RELEASE = '6.1.99-kpkgtest';

/**
 * A staged install root holding a minimal external-module build tree for arm64 at
 * /usr/src/linux-headers-<release>, with /lib/modules/<release>/build pointing at it. Returns the root.
 */
export async function miniHeadersRoot(options: MiniTreeOptions = {}): Promise<string> {
  const release = options.release ?? MINI_RELEASE;
  const root = await tempDir('root-');
  const tree = `usr/src/linux-headers-${release}`;
  const omit = new Set(options.omit ?? []);
  const files: Record<string, string> = {
    Makefile: 'VERSION = 6\nPATCHLEVEL = 1\n# minimal top-level Makefile for verify tests\n',
    'Module.symvers': '0x12345678\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n',
    'include/config/auto.conf': ['CONFIG_MODULES=y', 'CONFIG_ARM64=y', ...(options.config ?? [])].join('\n') + '\n',
    'include/config/kernel.release': `${release}\n`,
    'include/generated/utsrelease.h': `#define UTS_RELEASE "${release}"\n`,
    'arch/arm64/Makefile': 'KBUILD_CFLAGS += -mgeneral-regs-only\n',
  };
  for (const [path, content] of Object.entries(files)) if (!omit.has(path)) await put(root, `${tree}/${path}`, content);
  for (const program of ['scripts/basic/fixdep', 'scripts/mod/modpost']) {
    if (omit.has(program)) continue;
    await put(root, `${tree}/${program}`, await hostProgram(options.programsFor ?? 'arm64'), 0o755);
  }
  for (const [path, content] of Object.entries(options.extra ?? {})) await put(root, path, content);
  await mkdir(join(root, `lib/modules/${release}`), { recursive: true });
  await symlink(`/usr/src/linux-headers-${release}`, join(root, `lib/modules/${release}/build`));
  return root;
}

export interface DebControl {
  package: string;
  version?: string;
  architecture: string;
  /** Fields to leave out of the control file. */
  omit?: readonly string[];
  /** Depends (default: libc6, which the mini tree's programs need). */
  depends?: string;
}

/** Writes DEBIAN/control (and md5sums if given) into `root` and builds it with dpkg-deb. */
export async function buildDeb(
  root: string,
  control: DebControl,
  options: { compression?: 'xz' | 'zstd' | 'gzip' | 'none'; md5sums?: string; out?: string } = {},
): Promise<string> {
  const fields: [string, string][] = [
    ['Package', control.package],
    ['Version', control.version ?? '1.0'],
    ['Architecture', control.architecture],
    ['Depends', control.depends ?? 'libc6 (>= 2.34)'],
    ['Maintainer', 'kpkg tests <tests@kpkg.invalid>'],
    ['Description', 'verify test package\n a package made by kpkg verify tests'],
  ];
  const omit = new Set([...(control.omit ?? []), ...(control.depends === '' ? ['Depends'] : [])]);
  await put(
    root,
    'DEBIAN/control',
    fields
      .filter(([k]) => !omit.has(k))
      .map(([k, v]) => `${k}: ${v}\n`)
      .join(''),
  );
  if (options.md5sums !== undefined) await put(root, 'DEBIAN/md5sums', options.md5sums);
  const out = options.out ?? join(await tempDir('kpkg-verify-deb-'), `${control.package}.deb`);
  await tool('dpkg-deb', ['--root-owner-group', `-Z${options.compression ?? 'xz'}`, '--build', root, out]);
  return out;
}

/** md5sums as dh_md5sums writes it, for every regular file below root (DEBIAN excluded). */
export async function md5sumsOf(root: string): Promise<string> {
  return tool('sh', ['-c', "find . -type f ! -path './DEBIAN/*' -printf '%P\\0' | sort -z | xargs -0 -r md5sum"], {
    cwd: root,
  });
}

/** A .deb assembled by hand with GNU ar, for member compressions dpkg-deb no longer writes (bzip2). */
export async function buildDebByHand(root: string, control: string, compression: 'bzip2' | 'gzip'): Promise<string> {
  const work = await tempDir('kpkg-verify-handdeb-');
  const ext = compression === 'bzip2' ? 'bz2' : 'gz';
  const flag = compression === 'bzip2' ? '--bzip2' : '--gzip';
  await writeFile(join(work, 'debian-binary'), '2.0\n');
  await mkdir(join(work, 'control'));
  await writeFile(join(work, 'control', 'control'), control);
  await tool('tar', [
    '--owner=0',
    '--group=0',
    flag,
    '-cf',
    join(work, `control.tar.${ext}`),
    '-C',
    join(work, 'control'),
    '.',
  ]);
  await tool('tar', ['--owner=0', '--group=0', flag, '-cf', join(work, `data.tar.${ext}`), '-C', root, '.']);
  const out = join(work, 'hand.deb');
  await tool('ar', ['rc', out, 'debian-binary', `control.tar.${ext}`, `data.tar.${ext}`], { cwd: work });
  return out;
}

async function listFiles(root: string): Promise<{ path: string; isDir: boolean }[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.map((e) => ({ path: join(e.parentPath, e.name).slice(root.length), isDir: e.isDirectory() }));
}

/**
 * Builds an .rpm of everything below `root` with rpmbuild (no build step, no stripping: the
 * payload is the files as they are). `payload` selects rpm's compressor (_binary_payload).
 */
export async function buildRpm(
  root: string,
  options: { name: string; arch: string; payload?: 'gzip' | 'xz' | 'zstd' | 'bzip2' },
): Promise<string> {
  const top = await tempDir('kpkg-verify-rpm-');
  const files = (await listFiles(root)).filter((f) => !f.isDir).map((f) => `"${f.path}"`);
  const dirs = (await listFiles(root))
    .filter((f) => f.isDir && f.path.includes('linux-headers'))
    .map((f) => `%dir "${f.path}"`);
  const spec = [
    `Name: ${options.name}`,
    'Version: 1.0',
    'Release: 1',
    'Summary: kpkg verify test package',
    'License: GPL-2.0-only',
    '%define __os_install_post %{nil}',
    '%define debug_package %{nil}',
    '%define _build_id_links none',
    '%description',
    'A package made by kpkg verify tests.',
    '%install',
    `cp -a ${root}/. %{buildroot}/`,
    'rm -rf %{buildroot}/DEBIAN %{buildroot}/.PKGINFO',
    '%files',
    ...dirs,
    ...files,
    '',
  ].join('\n');
  await writeFile(join(top, 'test.spec'), spec);
  const payload = { gzip: 'w9.gzdio', xz: 'w6.xzdio', zstd: 'w19.zstdio', bzip2: 'w9.bzdio' }[options.payload ?? 'xz'];
  await tool('rpmbuild', [
    '-bb',
    '--target',
    `${options.arch}-linux`,
    '--define',
    `_topdir ${top}`,
    '--define',
    `_binary_payload ${payload}`,
    join(top, 'test.spec'),
  ]);
  const rpmDir = join(top, 'RPMS', options.arch);
  const built = (await readdir(rpmDir)).find((f) => f.endsWith('.rpm'));
  if (built === undefined) throw new Error(`rpmbuild wrote no .rpm into ${rpmDir}`);
  return join(rpmDir, built);
}

/** An Arch Linux package: .PKGINFO at the root, then the files, as tar + zstd (or xz). */
export async function buildPacman(
  root: string,
  options: { name: string; arch: string; compression?: 'zstd' | 'xz' },
): Promise<string> {
  const pkginfo = [
    `pkgname = ${options.name}`,
    'pkgbase = linux',
    'pkgver = 1.0-1',
    'pkgdesc = kpkg verify test package',
    `arch = ${options.arch}`,
    'size = 1',
    'depend = glibc',
    '',
  ].join('\n');
  await writeFile(join(root, '.PKGINFO'), pkginfo);
  const ext = options.compression === 'xz' ? 'xz' : 'zst';
  const out = join(await tempDir('kpkg-verify-pacman-'), `${options.name}-1.0-1-${options.arch}.pkg.tar.${ext}`);
  const members = (await readdir(root)).filter((n) => n !== '.PKGINFO' && n !== 'DEBIAN');
  await tool('tar', [
    '--owner=0',
    '--group=0',
    options.compression === 'xz' ? '--xz' : '--zstd',
    '-cf',
    out,
    '-C',
    root,
    '.PKGINFO',
    ...members,
  ]);
  return out;
}

/** A plain tarball of the install root (GNU tar), compressed with xz by default. */
export async function buildTarball(root: string, compression: 'xz' | 'gzip' | 'zstd' | 'none' = 'xz'): Promise<string> {
  const ext = { xz: '.xz', gzip: '.gz', zstd: '.zst', none: '' }[compression];
  const flag = { xz: ['--xz'], gzip: ['--gzip'], zstd: ['--zstd'], none: [] }[compression];
  const out = join(await tempDir('kpkg-verify-tar-'), `tree.tar${ext}`);
  const members = (await readdir(root)).filter((n) => n !== 'DEBIAN' && n !== '.PKGINFO');
  await tool('tar', ['--owner=0', '--group=0', ...flag, '-cf', out, '-C', root, ...members.map((m) => `./${m}`)]);
  return out;
}
