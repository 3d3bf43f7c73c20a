/**
 * Writes a pacman package (.pkg.tar.zst/.xz/.gz) from the format-neutral description, laid out as
 * makepkg 7.0's create_package makes it: one compressed tar holding .BUILDINFO, .INSTALL (when there
 * are scripts), .MTREE and .PKGINFO first, then every path of the tree without "./" and without the
 * root, in byte order of the whole path (list_package_files globs under LC_COLLATE=C, so "usr/lib-x"
 * sorts before "usr/lib/a"); owners root, every mtime SOURCE_DATE_EPOCH. Ghost entries are left out
 * (pacman has no owned-but-absent files). The tar is kpkg's GNU writer, which libarchive reads; the
 * bytes are kpkg's own, not makepkg's bsdtar's.
 *
 * .MTREE needs every file's digests before the tree is written: the files are hashed in a first
 * pass (makepkg too reads the tree twice) and must hash the same while archived. Compression levels
 * are makepkg.conf's (zstd 3, xz 6, gzip 6). With a member store, an unchanged package takes its
 * compressed tar, and the first pass's digests, from the store.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { compressedTarMember, entriesKey, type MemberStore } from '../../archive/compressed-member.js';
import { measuringStream } from '../../archive/measure.js';
import type { TarEntry } from '../../archive/tar.js';
import type { PackageDescription, PackageEntry } from '../../package/model.js';
import { sortEntries } from '../../package/model.js';
import { IO_PARALLELISM, mapLimit } from '../../util/pool.js';
import { KpkgError } from '../../util/errors.js';
import { writePackageFile } from '../package-file.js';
import { tarFileMember } from '../tar-member.js';
import type { Packager, SetFields, WriteOptions, WrittenArtifact } from '../packager.js';
import { installScriptText } from './install-script.js';
import type { BuildTool } from './metadata.js';
import { buildinfoText, kpkgBuildTool, pacmanInstalledSize, pkginfoText } from './metadata.js';
import type { MtreeEntry } from './mtree.js';
import { mtreeText } from './mtree.js';
import { PACMAN_COMPRESSIONS, checkPacmanCompression, pacmanFileName, pacmanVersion } from './names.js';

/** makepkg.conf's compressors run at their own default levels. */
const MAKEPKG_LEVEL: Readonly<Record<(typeof PACMAN_COMPRESSIONS)[number], number>> = { zstd: 3, xz: 6, gzip: 6 };

export interface PacmanWriteOptions extends WriteOptions {
  /** Who .PKGINFO and .BUILDINFO say wrote the package. Default: kpkg and its version. */
  buildTool?: BuildTool;
}

type TreeEntry = Exclude<PackageEntry, { kind: 'ghost' }>;

/**
 * The tree as makepkg lists it: no root, no ghosts, paths relative, in byte order of the path.
 * A top-level name starting with '.' is refused: libalpm never extracts one (add.c keeps
 * .INSTALL and .MTREE for its database and skips every other).
 */
export function packageTreeOrder(entries: readonly PackageEntry[]): { path: string; entry: TreeEntry }[] {
  // Ghosts go before sortEntries, which would otherwise add their parent directories.
  return sortEntries(entries.filter((entry): entry is TreeEntry => entry.kind !== 'ghost'))
    .filter((entry): entry is TreeEntry => entry.path !== '/' && entry.kind !== 'ghost')
    .map((entry) => {
      if (entry.path.startsWith('/.'))
        throw new KpkgError(
          `${entry.path}: pacman does not install top-level names starting with '.' (it reserves them for .PKGINFO, .MTREE, ...)`,
        );
      return entry;
    })
    .map((entry) => ({ path: entry.path.slice(1), entry, key: Buffer.from(entry.path.slice(1), 'utf8') }))
    .sort((a, b) => Buffer.compare(a.key, b.key))
    .map(({ path, entry }) => ({ path, entry }));
}

interface Digests {
  md5: string;
  sha256: string;
}

function digestsOf(data: Uint8Array): Digests {
  return { md5: createHash('md5').update(data).digest('hex'), sha256: createHash('sha256').update(data).digest('hex') };
}

async function fileDigests(entry: TreeEntry & { kind: 'file' }): Promise<Digests> {
  if (entry.source.from === 'bytes') {
    if (entry.source.data.byteLength !== entry.size)
      throw new KpkgError(`${entry.path}: ${entry.source.data.byteLength} bytes given, the entry says ${entry.size}`);
    return digestsOf(entry.source.data);
  }
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(entry.source.path) as AsyncIterable<Buffer>) {
    size += chunk.length;
    md5.update(chunk);
    sha256.update(chunk);
  }
  if (size !== entry.size) {
    throw new KpkgError(
      `${entry.source.path} has ${size} bytes, but the package entry ${entry.path} says ${entry.size}`,
      { where: entry.source.path },
    );
  }
  return { md5: md5.digest('hex'), sha256: sha256.digest('hex') };
}

/**
 * Every file's digests for .MTREE: hashed, or from the store when a run before hashed files in the
 * same states (the key names each file's state, as a compressed member's does).
 */
async function treeDigests(
  files: readonly { path: string; entry: TreeEntry & { kind: 'file' } }[],
  store: MemberStore | undefined,
): Promise<Map<string, Digests>> {
  const hashAll = async (): Promise<[string, Digests][]> =>
    mapLimit(files, IO_PARALLELISM, async ({ path, entry }) => [path, await fileDigests(entry)] as [string, Digests]);
  if (store === undefined) return new Map(await hashAll());
  const key = await entriesKey(
    'pacman file digests 1',
    files.map(({ path, entry }) => ({ fields: [path, entry.size], content: entry.source })),
    store,
  );
  return new Map((await store.member(key, hashAll)).meta);
}

function metadataFile(name: string, text: Buffer, mtime: number): TarEntry {
  return { type: 'file', name, mode: 0o644, mtime, size: text.length, content: { from: 'bytes', data: text } };
}

function treeTarEntry(path: string, entry: TreeEntry, mtime: number): TarEntry {
  switch (entry.kind) {
    case 'dir':
      return { type: 'dir', name: path, mode: entry.mode, mtime };
    case 'symlink':
      return { type: 'symlink', name: path, target: entry.target, mtime };
    case 'file':
      return tarFileMember(path, entry, mtime);
  }
}

function mtreeEntry(path: string, entry: TreeEntry, digests: ReadonlyMap<string, Digests>): MtreeEntry {
  switch (entry.kind) {
    case 'dir':
      return { type: 'dir', path, mode: entry.mode };
    case 'symlink':
      return { type: 'link', path, target: entry.target };
    case 'file':
      return {
        type: 'file',
        path,
        mode: entry.mode,
        size: entry.size,
        ...(digests.get(path) ?? { md5: '', sha256: '' }),
      };
  }
}

function metadataMtreeEntry(name: string, text: Buffer): MtreeEntry {
  return { type: 'file', path: name, mode: 0o644, size: text.length, ...digestsOf(text) };
}

/** Builds the package at `outPath` (replacing a previous file there only on success). */
export async function writePacman(
  pkg: PackageDescription,
  outPath: string,
  options: PacmanWriteOptions,
): Promise<WrittenArtifact> {
  const compression = checkPacmanCompression(options.compression);
  const tool = options.buildTool ?? kpkgBuildTool();
  const tree = packageTreeOrder(pkg.entries);
  return writePackageFile(outPath, async ({ partial, scratch }) => {
    // 1. The metadata, which needs every file's digest (.MTREE) and the installed size (.PKGINFO).
    const files = tree.flatMap(({ path, entry }) => (entry.kind === 'file' ? [{ path, entry }] : []));
    const digests = await treeDigests(files, options.members);
    const pkginfo = pkginfoText(pkg, pacmanInstalledSize(tree.map(({ entry }) => entry)), tool);
    const metadata = new Map<string, Buffer>([['.BUILDINFO', Buffer.from(buildinfoText(pkg, pkginfo, tool), 'utf8')]]);
    const install = installScriptText(pkg);
    if (install !== undefined) metadata.set('.INSTALL', Buffer.from(install, 'utf8'));
    const pkginfoBytes = Buffer.from(pkginfo, 'utf8');
    const mtree = mtreeText(
      [
        ...[...metadata].map(([name, text]) => metadataMtreeEntry(name, text)),
        metadataMtreeEntry('.PKGINFO', pkginfoBytes),
        ...tree.map(({ path, entry }) => mtreeEntry(path, entry, digests)),
      ],
      pkg.mtime,
    );
    // gzip -c -f -n: no name, mtime 0 (zlib's header), default level 6.
    metadata.set('.MTREE', gzipSync(Buffer.from(mtree, 'utf8'), { level: 6 }));
    metadata.set('.PKGINFO', pkginfoBytes);

    // 2. The package: metadata in byte order of the names, then the tree.
    const entries: TarEntry[] = [
      ...[...metadata.keys()]
        .sort()
        .map((name) => metadataFile(name, metadata.get(name) ?? Buffer.alloc(0), pkg.mtime)),
      ...tree.map(({ path, entry }) => treeTarEntry(path, entry, pkg.mtime)),
    ];
    // The compressed tar (or the one a run before made of the same bytes), copied into place while hashed.
    const tar = await compressedTarMember(entries, scratch('tar'), {
      compression,
      level: options.level ?? MAKEPKG_LEVEL[compression],
      digest: 'sha256',
      store: options.members,
    });
    for (const [name, hex] of tar.digests) {
      const expected = digests.get(name)?.sha256;
      if (expected !== undefined && expected !== hex)
        throw new KpkgError(`${name} changed while the package was being written`, { where: outPath });
    }
    const measure = measuringStream();
    await pipeline(createReadStream(tar.path), measure.stream, createWriteStream(partial));
    return { sha256: measure.digest(), size: measure.size };
  });
}

export const pacmanPackager: Packager = {
  format: 'pacman',
  compressions: PACMAN_COMPRESSIONS,
  // pkgver-pkgrel as makepkg lints them; the packager and the time are any text and number.
  checkFields: (fields: SetFields): void => {
    if (fields.version !== undefined) pacmanVersion(fields.version);
  },
  fileName: (pkg: PackageDescription, options: WriteOptions): string => pacmanFileName(pkg, options.compression),
  write: (pkg: PackageDescription, outPath: string, options: WriteOptions): Promise<WrittenArtifact> =>
    writePacman(pkg, outPath, options),
};
