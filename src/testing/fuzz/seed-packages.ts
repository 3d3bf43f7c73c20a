/**
 * Package samples for the fuzz corpus: a small headers-like package written by kpkg's own
 * writers in every format and compression, the archives inside them (data.tar, cpio payload),
 * archives made by the system's tar and cpio (pax, ustar with a prefix, newc), compressed streams
 * made by the system's xz, zstd, gzip and bzip2, real .deb files from apt's cache, and packages
 * built to exhaust verify (hostilePackages).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { readAr } from '../../archive/ar.js';
import type { CompressionKind } from '../../archive/compress.js';
import { cpioStream, type CpioWriteEntry } from '../../archive/cpio.js';
import { debPackager } from '../../formats/deb/packager.js';
import type { Packager } from '../../formats/packager.js';
import { pacmanPackager } from '../../formats/pacman/write-pacman.js';
import { rpmPackager } from '../../formats/rpm/write-rpm.js';
import { tarballPackager } from '../../formats/tar/write-tarball.js';
import type { TarEntry } from '../../archive/tar.js';
import type { PackageDescription, PackageEntry } from '../../package/model.js';
import { READ_LIMITS } from '../../reader/limits.js';
import { decodeName } from '../../util/name-bytes.js';
import {
  controlWithContinuations,
  dirEntry,
  elfFiles,
  emptyFiles,
  fileEntry,
  md5sumsOfLines,
  neededElf,
  pkginfoWithDepends,
  symversTrees,
  writeDeb,
  writeTarGz,
  type DebParts,
} from '../hostile-packages.js';

const run = promisify(execFile);
const MTIME = 1700000000;
const RELEASE = '6.1.99-fuzz';
const TREE = `/usr/src/linux-headers-${RELEASE}`;

function file(path: string, data: Uint8Array | string, mode = 0o644): PackageEntry {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return { kind: 'file', path, mode, size: bytes.length, source: { from: 'bytes', data: bytes } };
}

/** A headers-like package: an ELF program, configs, a Makefile, a long path, links, a changelog. */
export function samplePackage(program: Uint8Array): PackageDescription {
  const name = `linux-headers-${RELEASE}`;
  return {
    name,
    version: '6.1.99-1',
    arch: 'arm64',
    summary: 'headers for fuzzing',
    description: 'A small package written by kpkg for the fuzz corpus.',
    maintainer: 'kpkg fuzz <fuzz@kpkg.invalid>',
    depends: [{ name: 'libc6', version: { op: '>=', version: '2.34' } }],
    scripts: { postinst: '#!/bin/sh\nset -e\nexit 0\n' },
    mtime: MTIME,
    entries: [
      { kind: 'dir', path: TREE, mode: 0o755 },
      file(`${TREE}/Makefile`, 'VERSION = 6\nPATCHLEVEL = 1\ninclude /home/builder/linux/Makefile\n'),
      file(`${TREE}/include/config/auto.conf`, 'CONFIG_MODULES=y\nCONFIG_ARM64=y\n'),
      file(`${TREE}/include/config/kernel.release`, `${RELEASE}\n`),
      file(`${TREE}/scripts/basic/fixdep`, program, 0o755),
      file(`${TREE}/include/${'very-long-directory-name/'.repeat(5)}deep.h`, '#define DEEP 1\n'),
      file(`${TREE}/include/config/EMPTY`, ''),
      { kind: 'symlink', path: `/lib/modules/${RELEASE}/build`, target: TREE },
      file(
        `/usr/share/doc/${name}/changelog.Debian.gz`,
        gzipSync(`${name} (6.1.99-1) unstable; urgency=low\n\n  * Fuzz, packaged by kpkg.\n`),
      ),
    ],
  };
}

export interface WrittenPackages {
  deb: Buffer[];
  rpm: Buffer[];
  /** Plain tarballs and pacman packages. */
  tarball: Buffer[];
}

/** The sample package in every format and compression kpkg writes (the slowest encoders at low levels). */
export async function writtenPackages(program: Uint8Array): Promise<WrittenPackages> {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-fuzz-packages-'));
  const pkg = samplePackage(program);
  const write = async (packager: Packager, compression: CompressionKind, level?: number): Promise<Buffer> => {
    const out = join(dir, `${packager.format}-${compression}`);
    await packager.write(pkg, out, level === undefined ? { compression } : { compression, level });
    return readFile(out);
  };
  try {
    return {
      deb: [
        await write(debPackager, 'none'),
        await write(debPackager, 'gzip'),
        await write(debPackager, 'xz', 1),
        await write(debPackager, 'zstd'),
      ],
      rpm: [await write(rpmPackager, 'gzip'), await write(rpmPackager, 'xz', 1), await write(rpmPackager, 'zstd')],
      tarball: [
        await write(tarballPackager, 'none'),
        await write(tarballPackager, 'gzip'),
        await write(tarballPackager, 'xz', 1),
        await write(pacmanPackager, 'zstd'),
        await write(pacmanPackager, 'gzip'),
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The ar members of a .deb, by name. */
export async function arMembers(deb: Buffer): Promise<Map<string, Buffer>> {
  const members = new Map<string, Buffer>();
  for await (const member of readAr([deb])) members.set(member.name, await member.bytes());
  return members;
}

/** Real .deb files from apt's cache: a few small ones, the same on the same cache. */
export async function cachedDebs(count = 4, maxSize = 48 * 1024): Promise<Buffer[]> {
  const dir = '/var/cache/apt/archives';
  const names = await readdir(dir).catch(() => [] as string[]);
  const sized: { path: string; size: number }[] = [];
  for (const name of names.filter((n) => n.endsWith('.deb')).sort()) {
    const info = await stat(join(dir, name));
    if (info.size <= maxSize) sized.push({ path: join(dir, name), size: info.size });
  }
  sized.sort((a, b) => a.size - b.size || (a.path < b.path ? -1 : 1));
  // Evenly spread over the sizes: metapackages and packages with real contents.
  const picked = Array.from(
    { length: Math.min(count, sized.length) },
    (_, i) => sized[Math.floor((i * sized.length) / count)],
  );
  return Promise.all(picked.flatMap((entry) => (entry === undefined ? [] : [readFile(entry.path)])));
}

/** A small tree for the system tools to archive: a long name, a symlink, a file with text. */
async function sampleTree(dir: string): Promise<string> {
  const root = join(dir, 'tree');
  const deep = join(root, 'usr/src', 'a-rather-long-directory-name-for-tar/'.repeat(3));
  await mkdir(deep, { recursive: true });
  await writeFile(join(deep, 'file.h'), '#define FUZZ 1\n');
  await writeFile(join(root, 'usr/src/README'), 'sample\n'.repeat(20));
  await symlink('../src/README', join(root, 'usr/src/link'));
  return root;
}

async function tool(command: string, args: string[], cwd: string): Promise<void> {
  await run(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
}

export interface SystemArchives {
  tar: Buffer[];
  cpio: Buffer[];
  compressed: Buffer[];
}

/** Archives and compressed streams written by the system's own tar, cpio, xz, zstd, gzip and bzip2. */
export async function systemArchives(): Promise<SystemArchives> {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-fuzz-system-'));
  try {
    const root = await sampleTree(dir);
    const out = (name: string): string => join(dir, name);
    await tool('tar', ['--format=pax', '-cf', out('pax.tar'), '.'], root);
    await tool('tar', ['--format=ustar', '-cf', out('ustar.tar'), '.'], root);
    await tool('tar', ['--format=gnu', '-cf', out('gnu.tar'), '.'], root);
    await tool('sh', ['-c', `find . | LC_ALL=C sort | cpio --quiet -o -H newc > ${out('newc.cpio')}`], root);
    await tool('sh', ['-c', `find . | LC_ALL=C sort | cpio --quiet -o -H crc > ${out('crc.cpio')}`], root);
    const small = out('gnu.tar');
    await tool(
      'sh',
      [
        '-c',
        [
          `xz -1 -c ${small} > ${out('t.xz')}`,
          `xz -1 --check=sha256 -c ${small} > ${out('t256.xz')}`,
          `zstd -q -1 -c ${small} > ${out('t.zst')}`,
          `gzip -1 -c ${small} > ${out('t.gz')}`,
          `bzip2 -1 -c ${small} > ${out('t.bz2')}`,
          `(gzip -c ${small}; gzip -c ${small}) > ${out('two.gz')}`,
        ].join(' && '),
      ],
      dir,
    );
    const read = (names: string[]): Promise<Buffer[]> => Promise.all(names.map((name) => readFile(out(name))));
    return {
      tar: await read(['pax.tar', 'ustar.tar', 'gnu.tar']),
      cpio: await read(['newc.cpio', 'crc.cpio']),
      compressed: await read(['t.xz', 't256.xz', 't.zst', 't.gz', 't.bz2', 'two.gz']),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A newc archive written by kpkg's cpio writer (the rpm payload format). */
export async function kpkgCpio(program: Uint8Array): Promise<Buffer> {
  const entries: CpioWriteEntry[] = [
    { type: 'dir', name: './usr', mode: 0o755, ino: 1, mtime: MTIME },
    {
      type: 'file',
      name: './usr/bin/prog',
      mode: 0o755,
      ino: 2,
      mtime: MTIME,
      size: program.length,
      content: { from: 'bytes', data: program },
    },
    { type: 'symlink', name: './usr/bin/link', target: 'prog', ino: 3, mtime: MTIME },
    {
      type: 'file',
      name: './usr/share/x.txt',
      mode: 0o644,
      ino: 4,
      mtime: MTIME,
      size: 3,
      content: { from: 'bytes', data: Buffer.from('hi\n') },
    },
  ];
  const chunks: Buffer[] = [];
  for await (const chunk of cpioStream(entries)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Packages built to make verify hold or do too much (testing/hostile-packages.ts), scaled to the
 * fuzzer's inputs: huge line, entry and relation counts, deep and wide trees, thousands of headers
 * trees; names that are not UTF-8 (kpkg's tar writer writes them as the bytes they are) or hold a
 * line break. Each passes (read, or refused over a READ_LIMITS limit) within the budgets of budgets.ts.
 */
export async function hostilePackages(): Promise<{ deb: Buffer[]; tarball: Buffer[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-fuzz-hostile-'));
  const deb = (name: string, parts: DebParts): Promise<Buffer> =>
    writeDeb(join(dir, name), parts).then((path) => readFile(path));
  const tar = (name: string, entries: Iterable<TarEntry>): Promise<Buffer> =>
    writeTarGz(join(dir, name), entries).then((path) => readFile(path));
  const deep = `./${'d/'.repeat(2000)}`;
  const byteName = (byte: number): string => decodeName(Buffer.from([...Buffer.from('./usr/lib/t'), byte]));
  const names = [
    fileEntry(byteName(0xff), neededElf(62, [])),
    fileEntry(byteName(0xfe), 'text\n'),
    fileEntry('./usr/lib/x\nresult: PASS', 'x'),
  ];
  try {
    return {
      deb: [
        await deb('elves.deb', { data: elfFiles(2000) }),
        await deb('trees.deb', { data: symversTrees(500) }),
        await deb('control.deb', { control: controlWithContinuations(400_000), data: [] }),
        await deb('md5sums.deb', { md5sums: md5sumsOfLines(READ_LIMITS.members + 1), data: [] }),
        await deb('deep.deb', { data: [dirEntry(deep), fileEntry(`${deep}f`, 'x')] }),
        await deb('names.deb', { data: names }),
      ],
      tarball: [
        await tar('depends.pkg.tar.gz', [fileEntry('.PKGINFO', pkginfoWithDepends(READ_LIMITS.relations + 1))]),
        await tar('wide.tar.gz', emptyFiles(5000)),
        await tar('trees.tar.gz', symversTrees(500)),
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
