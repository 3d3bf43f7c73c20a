/**
 * Helpers for the smoke tests (not used by kpkg itself): cache locations and Debian's own arm64
 * kernel headers, which prove the machinery before kpkg's own headers packages exist.
 */
import { access, copyFile, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { ensureBinfmt } from '../smoke/binfmt.js';
import { kpkgCacheDir, rootfsCacheDir } from '../smoke/cache-dir.js';
import { PrivateApt } from '../apt/private-apt.js';
import { targetArchive } from '../apt/target-release.js';
import { withLock } from '../util/file-lock.js';
import { ensureRootfsTarball, type RootfsSpec, type RootfsTarball } from '../smoke/rootfs.js';
import { smokeRootfsSpec } from '../smoke/smoke-rootfs-spec.js';

export { kpkgCacheDir, rootfsCacheDir };

async function run(command: string, args: string[], hint: string, cwd?: string): Promise<string> {
  try {
    return (await execa(command, args, cwd === undefined ? {} : { cwd })).stdout;
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new Error(`${command} ${args.join(' ')} failed; fix: ${hint}\n${detail}`, { cause });
  }
}

/**
 * kpkg's private apt (as its sysroots use) for a suite's arm64 and amd64 (bookworm unless told):
 * Debian's own packages of both architectures without `dpkg --add-architecture` on this machine.
 */
export async function fixtureApt(suite = 'bookworm'): Promise<PrivateApt> {
  const archive = await targetArchive('arm64', { suite });
  const apt = new PrivateApt(join(kpkgCacheDir(), 'apt', `fixtures-${suite}-arm64-amd64`), {
    ...archive,
    architectures: ['arm64', 'amd64'],
  });
  await apt.update();
  return apt;
}

/** Fields of the candidate version of a package, from apt-cache show. */
async function aptShow(apt: PrivateApt, pkg: string): Promise<Map<string, string>> {
  const fields = await apt.show(pkg);
  if (fields === undefined)
    throw new Error(
      `apt-cache show ${pkg} found nothing in ${apt.dir}; fix: rm -r ${apt.dir} (the lists are fetched again)`,
    );
  return fields;
}

function dependencyNamed(depends: string, pattern: RegExp): string {
  const name = depends
    .split(',')
    .map((c) => c.trim().split(/[\s(]/)[0] ?? '')
    .find((n) => pattern.test(n));
  if (name === undefined) throw new Error(`no dependency matching ${String(pattern)} in '${depends}'`);
  return name;
}

/** The arm64 kernel headers the suite's linux-headers-arm64 depends on: their name and apt-cache fields. */
async function currentArm64Headers(apt: PrivateApt): Promise<{ name: string; fields: Map<string, string> }> {
  const meta = await aptShow(apt, 'linux-headers-arm64:arm64');
  const name = dependencyNamed(meta.get('Depends') ?? '', /^linux-headers-.*-arm64$/);
  return { name, fields: await aptShow(apt, `${name}:arm64`) };
}

/** The kbuild package (arm64) that a suite's current arm64 kernel headers depend on, downloaded once into the kpkg cache. */
export async function debianArm64Kbuild(suite: string): Promise<string> {
  const apt = await fixtureApt(suite);
  const { fields } = await currentArm64Headers(apt);
  const kbuild = dependencyNamed(fields.get('Depends') ?? '', /^linux-kbuild-/);
  const version = (await aptShow(apt, `${kbuild}:arm64`)).get('Version') ?? '';
  const [deb = ''] = await withLock(join(apt.dir, '.fixture-lock'), () =>
    apt.download([{ name: kbuild, version, arch: 'arm64' }]),
  );
  return deb;
}

export interface DebianHeaders {
  /** e.g. 6.1.0-56-arm64 */
  readonly release: string;
  readonly version: string;
  /** linux-headers-<release>, linux-headers-<abi>-common, linux-kbuild-<series> (all arm64 or all). */
  readonly debs: string[];
  /** The same kbuild package with scripts/basic/fixdep replaced by Debian's x86-64 one. */
  readonly kbuildWithX86Fixdep: string;
  /** ...with scripts/sign-file replaced: `make modules` never runs it, so only a static check sees it. */
  readonly kbuildWithX86SignFile: string;
  readonly kbuildDeb: string;
}

async function programPath(unpacked: string, program: string): Promise<string> {
  const entries = await readdir(unpacked, { recursive: true });
  const rel = entries.find((e) => e.endsWith(program));
  if (rel === undefined) throw new Error(`no ${program} in ${unpacked}`);
  return join(unpacked, rel);
}

/**
 * linux-kbuild (arm64) with one program (e.g. scripts/basic/fixdep) replaced by Debian's x86-64
 * build of it: what bindeb-pkg ships when cross-compiling. Made once, cached beside the debs.
 */
async function kbuildWithX86Program(kbuildArm64: string, kbuildAmd64: string, program: string): Promise<string> {
  const target = kbuildArm64.replace(/\.deb$/, `+x86-64-${basename(program)}.deb`);
  try {
    await access(target);
    return target;
  } catch {
    // not made yet
  }
  const work = await mkdtemp(join(tmpdir(), 'kpkg-x86-'));
  try {
    await run('dpkg-deb', ['-R', kbuildArm64, `${work}/arm64`], 'apt-get install dpkg');
    await run('dpkg-deb', ['-x', kbuildAmd64, `${work}/amd64`], 'apt-get install dpkg');
    await copyFile(await programPath(`${work}/amd64`, program), await programPath(`${work}/arm64`, program));
    await run(
      'dpkg-deb',
      ['--root-owner-group', '-Zgzip', '-b', `${work}/arm64`, `${work}/out.deb`],
      'apt-get install dpkg',
    );
    await rename(`${work}/out.deb`, target);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return target;
}

/**
 * Debian bookworm's current arm64 kernel headers (the version apt would install), downloaded
 * once into the kpkg cache; the ABI is looked up, not hard-coded.
 */
export async function debianArm64Headers(): Promise<DebianHeaders> {
  const apt = await fixtureApt();
  const { name: headersName, fields: headers } = await currentArm64Headers(apt);
  const version = headers.get('Version') ?? '';
  const depends = headers.get('Depends') ?? '';
  const common = dependencyNamed(depends, /^linux-headers-.*-common$/);
  const kbuild = dependencyNamed(depends, /^linux-kbuild-/);
  return withLock(join(apt.dir, '.fixture-lock'), async () => {
    const commonArch = (await aptShow(apt, `${common}:all`)).get('Architecture') ?? 'all';
    const [headersDeb = '', commonDeb = '', kbuildDeb = '', kbuildAmd64 = ''] = await apt.download([
      { name: headersName, version, arch: 'arm64' },
      { name: common, version, arch: commonArch },
      { name: kbuild, version, arch: 'arm64' },
      { name: kbuild, version, arch: 'amd64' },
    ]);
    return {
      release: headersName.replace(/^linux-headers-/, ''),
      version,
      debs: [headersDeb, commonDeb, kbuildDeb],
      kbuildDeb,
      kbuildWithX86Fixdep: await kbuildWithX86Program(kbuildDeb, kbuildAmd64, 'scripts/basic/fixdep'),
      kbuildWithX86SignFile: await kbuildWithX86Program(kbuildDeb, kbuildAmd64, 'scripts/sign-file'),
    };
  });
}

export interface DebianArm64Rootfs {
  readonly headers: DebianHeaders;
  readonly spec: RootfsSpec;
  readonly tarball: RootfsTarball;
}

/** The (cached) arm64 rootfs a smoke run of Debian's headers uses, binfmt registered. */
export async function debianArm64Rootfs(onLine?: (line: string) => void): Promise<DebianArm64Rootfs> {
  const headers = await debianArm64Headers();
  await ensureBinfmt('arm64');
  const spec = await smokeRootfsSpec({ debianArch: 'arm64', packages: headers.debs, cacheDir: rootfsCacheDir() });
  const tarball = await ensureRootfsTarball(spec, onLine === undefined ? {} : { onLine });
  return { headers, spec, tarball };
}
