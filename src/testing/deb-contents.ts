import assert from 'node:assert/strict';
import { execa } from 'execa';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `dpkg-deb --contents` paths, without the leading '.', directories without their trailing '/'. */
export async function debPaths(deb: string): Promise<string[]> {
  const { stdout } = await execa('dpkg-deb', ['--contents', deb]);
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const name = l.slice(l.indexOf('./') + 1).replace(/ -> .*$/, '');
      return name.length > 1 ? name.replace(/\/$/, '') : name;
    });
}

/** `dpkg-deb --field` of one field. */
export async function debField(deb: string, field: string): Promise<string> {
  return (await execa('dpkg-deb', ['--field', deb, field])).stdout.trim();
}

/** Extracts with dpkg-deb -x into a new temp dir and returns it. */
export async function extractDeb(deb: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-x-'));
  await execa('dpkg-deb', ['-x', deb, dir]);
  return dir;
}

/** What `file` says of an ELF built for each target: class, byte order and machine. */
const FILE_SAYS: Readonly<Record<string, RegExp>> = {
  arm64: /ELF 64-bit LSB .*ARM aarch64/,
  armhf: /ELF 32-bit LSB .*ARM, EABI5/,
  riscv64: /ELF 64-bit LSB .*UCB RISC-V/,
  ppc64el: /ELF 64-bit LSB .*64-bit PowerPC/,
  s390x: /ELF 64-bit MSB .*IBM S\/390/,
  i386: /ELF 32-bit LSB .*Intel (80386|i386)/,
};

/** What `file` must say of every ELF built for a Debian architecture. */
export function fileSaysFor(debianArch: string): RegExp {
  const says = FILE_SAYS[debianArch];
  if (says === undefined) throw new Error(`no file(1) description known for ${debianArch} (add it to FILE_SAYS)`);
  return says;
}

/** `file -b` of every regular file below dir that `file` calls ELF, by path relative to dir. */
export async function elfFilesByFile(dir: string): Promise<Map<string, string>> {
  const { stdout } = await execa('sh', ['-c', 'find . -type f -print0 | xargs -0 -r file -N -F "\t"'], { cwd: dir });
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const [path, desc] = line.split('\t');
    if (path !== undefined && desc !== undefined && desc.includes('ELF'))
      out.set(path.replace(/^\.\//, ''), desc.trim());
  }
  return out;
}

/**
 * The Debian packages that provide the sonames the tests' headers packages need on Debian arm64 and
 * ppc64el (bookworm), written down here independently of kpkg's resolution.
 */
const DEBIAN_PROVIDER: Readonly<Record<string, string>> = {
  'libc.so.6': 'libc6',
  'libm.so.6': 'libc6',
  'ld-linux-aarch64.so.1': 'libc6',
  'ld64.so.2': 'libc6',
  'libelf.so.1': 'libelf1',
  'libz.so.1': 'zlib1g',
  'libcrypto.so.3': 'libssl3',
  'libstdc++.so.6': 'libstdc++6',
  'libgcc_s.so.1': 'libgcc-s1',
};

/** Every DT_NEEDED of the ELF files of an extracted package, as `readelf -d` reports them. */
export async function neededSonames(dir: string): Promise<Set<string>> {
  const elves = await elfFilesByFile(dir);
  const needed = new Set<string>();
  for (const path of elves.keys()) {
    const { stdout } = await execa('readelf', ['-d', '-W', join(dir, path)], { reject: false });
    for (const m of stdout.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g))
      if (m[1] !== undefined) needed.add(m[1]);
  }
  return needed;
}

/** The kernel's compiler as a headers .deb names it, unversioned (layouts/deb/compiler.ts): gcc-12, gcc; clang-14, lld-14, llvm-14, clang, lld. */
const COMPILER_RELATION = /^(gcc|clang|lld|llvm)(-\d+)?$/;

/**
 * Asserts that a headers .deb's Depends names exactly the packages its ELF files need (readelf -d),
 * each with a version, plus the kernel's compiler (gcc or clang, unversioned), plus `extra` (e.g. the
 * gcc build of its plugins); returns the field.
 */
export async function assertDependsMatchElves(deb: string, extra: readonly string[] = []): Promise<string> {
  const depends = await debField(deb, 'Depends');
  const declared = depends
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const needed = await neededSonames(await extractDeb(deb));
  const expected = new Set([...needed].map((soname) => DEBIAN_PROVIDER[soname] ?? `unknown provider of ${soname}`));
  const compiler = declared.filter((c) => COMPILER_RELATION.test(c));
  assert.ok(
    compiler.some((c) => c === 'gcc' || c === 'clang'),
    `no compiler in Depends: ${depends}`,
  );
  const libraries = declared.filter(
    (c) => !COMPILER_RELATION.test(c) && !extra.some((e) => c.startsWith(`${e} `) || c === e),
  );
  const names = libraries.map((c) => c.split(/\s/)[0] ?? '');
  assert.deepEqual(new Set(names), expected, `Depends: ${depends}; readelf -d NEEDED: ${[...needed].join(', ')}`);
  for (const c of libraries) assert.match(c, /^\S+ \(>= [^)]+\)$/, `no minimal version in "${c}" (${depends})`);
  for (const e of extra) assert.equal(declared.filter((c) => c.startsWith(`${e} `)).length, 1, `${e} in ${depends}`);
  return depends;
}
