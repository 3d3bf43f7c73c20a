/**
 * Which format a smoke input is, from its contents (as `kpkg verify` recognizes inputs) and, for
 * tar archives, from the name or a .PKGINFO member: a pacman package is a tarball whose first
 * members are its metadata (.BUILDINFO, .MTREE, .PKGINFO), a plain tarball has none.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { DecompressionKind } from '../../archive/compress.js';
import { readTar } from '../../archive/tar.js';
import { decompressed } from '../../reader/decompressed.js';
import { inputKindOf, readHead } from '../../reader/open.js';
import { KpkgError } from '../../util/errors.js';
import type { SmokeInputFormat } from './installer.js';

export interface SniffedInput {
  readonly format: SmokeInputFormat;
  /** Compression of the tar stream (tarballs and pacman packages); 'none' for deb and rpm. */
  readonly compression: DecompressionKind;
}

/** makepkg's package names: <name>-<ver>-<rel>-<arch>.pkg.tar[.<compression>]. */
export function isPacmanName(file: string): boolean {
  return /\.pkg\.tar(\.[a-z0-9]+)?$/.test(basename(file));
}

/** Whether the tar archive has a .PKGINFO among its leading dot-file members (read no further). */
async function hasPkginfo(file: string, compression: DecompressionKind): Promise<boolean> {
  const source = createReadStream(file, { highWaterMark: 1 << 16 });
  for await (const entry of readTar(decompressed(compression, source), { where: file })) {
    const name = entry.name.replace(/^(\.\/)+/, '').replace(/\/$/, '');
    if (name === '.PKGINFO') return true;
    if (name !== '' && !name.startsWith('.')) return false;
  }
  return false;
}

async function head(file: string): Promise<Buffer> {
  try {
    return await readHead(file);
  } catch (cause) {
    throw new KpkgError(`package ${file} does not exist or cannot be read`, {
      where: file,
      hint: `check the path: ls -l ${file}`,
      exitCode: 2,
      cause,
    });
  }
}

export async function sniffInput(file: string): Promise<SniffedInput> {
  const kind = inputKindOf(await head(file));
  if (kind === undefined) {
    throw new KpkgError(`${file} is not a package kpkg smoke can install`, {
      where: file,
      hint: 'give .deb, .rpm, pacman .pkg.tar.{zst,xz} or tarball (.tar, .tar.gz, .tar.xz, .tar.zst) files',
      exitCode: 2,
    });
  }
  if (kind.reader !== 'tar') return { format: kind.reader, compression: 'none' };
  const pacman = isPacmanName(file) || (await hasPkginfo(file, kind.compression));
  return { format: pacman ? 'pacman' : 'tar', compression: kind.compression };
}
