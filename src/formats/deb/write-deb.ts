/**
 * Writes a binary .deb (deb(5)) from the format-neutral package description, the way
 * `dpkg-deb --root-owner-group --build` lays it out:
 *
 *   ar archive: "debian-binary" ("2.0\n"), "control.tar<.ext>", "data.tar<.ext>", every member
 *   with mtime = pkg.mtime, uid/gid 0, mode 100644.
 *   control.tar: "./", "./control", "./md5sums", maintainer scripts (0755), names sorted.
 *   data.tar: "./" then the tree depth-first with siblings in byte order, symlinks moved after
 *   everything else (dpkg-deb does so, so that no symlink precedes its target).
 *   Both tars use the same compressor (dpkg-deb's default "uniform compression").
 *
 * With compression 'none' the result is byte-identical to dpkg-deb's for the same tree and
 * SOURCE_DATE_EPOCH. The data member is compressed into a temporary file first (its size goes in
 * the ar header before it); the package is assembled under a temporary name in the target
 * directory and renamed into place at the end, so a failed build leaves nothing at `outPath`.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { ArWriter } from '../../archive/ar.js';
import type { CompressionKind } from '../../archive/compress.js';
import { COMPRESSION_SUFFIX } from '../../archive/compress.js';
import { compressedTarMember, type MemberStore } from '../../archive/compressed-member.js';
import { measuringStream } from '../../archive/measure.js';
import type { TarEntry } from '../../archive/tar.js';
import type { MaintainerScript, PackageDescription, PackageEntry } from '../../package/model.js';
import { installedSizeKiB, sortEntries } from '../../package/model.js';
import { KpkgError } from '../../util/errors.js';
import { writePackageFile } from '../package-file.js';
import { tarFileMember } from '../tar-member.js';
import type { WrittenArtifact } from '../packager.js';
import { debControlText } from './control.js';

export interface DebWriteOptions {
  compression: CompressionKind;
  /** Defaults to dpkg-deb's level for the compressor (xz 6, zstd 3, gzip 9). */
  level?: number | undefined;
  /** Keeps the compressed data member for the next run that makes the same bytes. */
  members?: MemberStore | undefined;
}

const SCRIPT_ORDER: readonly MaintainerScript[] = ['postinst', 'postrm', 'preinst', 'prerm']; // byte order

/** The data.tar entries in dpkg-deb's order. `entries` must be in tree order with '/' (sortEntries). */
export function dataTarEntries(entries: readonly PackageEntry[], mtime: number): TarEntry[] {
  const nonLinks: TarEntry[] = [];
  const links: TarEntry[] = [];
  for (const entry of entries) {
    const name = entry.path === '/' ? './' : `.${entry.path}`;
    switch (entry.kind) {
      case 'dir':
        nonLinks.push({ type: 'dir', name, mode: entry.mode, mtime });
        break;
      case 'file':
        nonLinks.push({ ...tarFileMember(name, entry, mtime), ...(entry.volatile === true ? { volatile: true } : {}) });
        break;
      case 'symlink':
        links.push({ type: 'symlink', name, target: entry.target, mtime });
        break;
      case 'ghost':
        break; // dpkg has no owned-but-absent files
    }
  }
  return [...nonLinks, ...links];
}

/** md5sums: "<md5>  <path without leading slash>\n" per regular file, sorted by path as dh_md5sums does. */
export function md5sumsText(digests: ReadonlyMap<string, string>): string {
  const byBytes = [...digests.entries()].map(([path, md5]) => ({
    key: Buffer.from(path, 'utf8').toString('latin1'),
    path,
    md5,
  }));
  byBytes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return byBytes.map(({ path, md5 }) => `${md5}  ${path}\n`).join('');
}

function controlTarEntries(pkg: PackageDescription, control: string, md5sums: string): TarEntry[] {
  const file = (name: string, text: string, mode: number): TarEntry => {
    const data = Buffer.from(text, 'utf8');
    return {
      type: 'file',
      name: `./${name}`,
      mode,
      mtime: pkg.mtime,
      size: data.length,
      content: { from: 'bytes', data },
    };
  };
  const entries: TarEntry[] = [
    { type: 'dir', name: './', mode: 0o755, mtime: pkg.mtime },
    file('control', control, 0o644),
  ];
  if (md5sums !== '') entries.push(file('md5sums', md5sums, 0o644));
  for (const name of SCRIPT_ORDER) {
    const script = pkg.scripts?.[name];
    if (script !== undefined) entries.push(file(name, script, 0o755));
  }
  return entries;
}

function checkScripts(pkg: PackageDescription): void {
  for (const name of SCRIPT_ORDER) {
    const script = pkg.scripts?.[name];
    if (script !== undefined && !script.startsWith('#!')) {
      throw new KpkgError(`the ${name} script of ${pkg.name} must start with an interpreter line such as '#!/bin/sh'`);
    }
  }
}

/** Installed-Size as dpkg-gencontrol computes it when run after the maintainer scripts were put in DEBIAN/ (dh, kbuild's builddeb): the tree, plus the DEBIAN directory and the scripts. */
function debInstalledSize(pkg: PackageDescription, entries: readonly PackageEntry[]): number {
  let size = installedSizeKiB(entries) + 1;
  for (const name of SCRIPT_ORDER) {
    const script = pkg.scripts?.[name];
    if (script !== undefined) size += Math.ceil(Buffer.byteLength(script, 'utf8') / 1024);
  }
  return size;
}

/** The compressed data member of `pkg` made into options.members, for a writeDeb that follows (packager.ts, prepare). */
export async function prepareDeb(pkg: PackageDescription, options: DebWriteOptions): Promise<void> {
  if (options.members === undefined) return;
  await compressedTarMember(dataTarEntries(sortEntries(pkg.entries), pkg.mtime), '', {
    compression: options.compression,
    level: options.level,
    digest: 'md5',
    store: options.members,
  });
}

/** Builds the .deb at `outPath` (replacing a previous file there only on success). */
export async function writeDeb(
  pkg: PackageDescription,
  outPath: string,
  options: DebWriteOptions,
): Promise<WrittenArtifact> {
  const entries = sortEntries(pkg.entries);
  checkScripts(pkg);
  const control = debControlText(pkg, debInstalledSize(pkg, entries));
  const suffix = COMPRESSION_SUFFIX[options.compression];
  return writePackageFile(outPath, async ({ partial, scratch }) => {
    // 1. data.tar, compressed into a temporary file (or found in the member store), md5sums gathered on the way.
    const data = await compressedTarMember(dataTarEntries(entries, pkg.mtime), scratch('data'), {
      compression: options.compression,
      level: options.level,
      digest: 'md5',
      store: options.members,
    });
    const digests = new Map(data.digests.map(([name, hex]) => [name.slice(2), hex]));

    // 2. control.tar, compressed the same way (or found in the member store: a re-run starts no compressor), small enough to hold in memory.
    const controlEntries = controlTarEntries(pkg, control, md5sumsText(digests));
    const controlMember = await readFile(
      (
        await compressedTarMember(controlEntries, scratch('control'), {
          compression: options.compression,
          level: options.level,
          store: options.members,
        })
      ).path,
    );

    // 3. The ar container, hashed as it is written.
    const measure = measuringStream();
    const written = pipeline(measure.stream, createWriteStream(partial));
    written.catch(() => undefined); // awaited below; a failure also surfaces through the writer
    const ar = new ArWriter(measure.stream);
    const member = { mtime: pkg.mtime };
    try {
      await ar.add({ ...member, name: 'debian-binary', size: 4 }, Buffer.from('2.0\n', 'latin1'));
      await ar.add({ ...member, name: `control.tar${suffix}`, size: controlMember.length }, controlMember);
      await ar.add({ ...member, name: `data.tar${suffix}`, size: data.size }, createReadStream(data.path));
      await ar.end();
    } catch (error) {
      measure.stream.destroy(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    await written;
    return { sha256: measure.digest(), size: ar.bytesWritten };
  });
}
