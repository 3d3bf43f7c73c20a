/**
 * Recognizes an input by its first bytes (not its name) and reads it with the matching reader.
 * Anything that stops a package from being read — a missing file, wrong magic, truncation, a
 * corrupt compressed stream, a hostile member name — is a KpkgError with exit status 2.
 */
import { open, stat } from 'node:fs/promises';
import type { DecompressionKind } from '../archive/compress.js';
import { KpkgError } from '../util/errors.js';
import type { ReadPackage } from './model.js';
import { readDeb } from './deb.js';
import { readDirectory } from './directory.js';
import { readRpm } from './rpm.js';
import { readTarPackage } from './tar.js';

export type InputKind = { reader: 'deb' } | { reader: 'rpm' } | { reader: 'tar'; compression: DecompressionKind };

/**
 * The containers kpkg reads, each with its reader. A family's packages are one of them (its row
 * in src/families/ names which): a pacman package is a compressed tar whose .PKGINFO makes the tar
 * reader report it as pacman. A directory is read as an unpacked package (readDirectory).
 */
export interface ContainerReader {
  readonly container: InputKind['reader'];
  /** Reads a whole package; `compression` is that of the tar stream ('none' for deb and rpm). */
  read(input: string, compression: DecompressionKind): Promise<ReadPackage>;
}

export const CONTAINER_READERS = {
  deb: { container: 'deb', read: (input) => readDeb(input) },
  rpm: { container: 'rpm', read: (input) => readRpm(input) },
  tar: { container: 'tar', read: (input, compression) => readTarPackage(input, compression) },
} as const satisfies Readonly<Record<InputKind['reader'], ContainerReader>>;

const MAGICS: readonly (readonly [number[], InputKind])[] = [
  [[0x21, 0x3c, 0x61, 0x72, 0x63, 0x68, 0x3e, 0x0a], { reader: 'deb' }], // "!<arch>\n"
  [[0xed, 0xab, 0xee, 0xdb], { reader: 'rpm' }],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], { reader: 'tar', compression: 'xz' }],
  [[0x28, 0xb5, 0x2f, 0xfd], { reader: 'tar', compression: 'zstd' }],
  [[0x1f, 0x8b], { reader: 'tar', compression: 'gzip' }],
  [[0x42, 0x5a, 0x68], { reader: 'tar', compression: 'bzip2' }], // "BZh"
];

/** The reader for a file starting with `head` (at least 263 bytes when the file has them). */
export function inputKindOf(head: Uint8Array): InputKind | undefined {
  for (const [magic, kind] of MAGICS) {
    if (head.length >= magic.length && magic.every((b, i) => head[i] === b)) return kind;
  }
  // ustar magic at offset 257: "ustar\0" (POSIX) or "ustar " (GNU).
  const ustar = Buffer.from(head.subarray(257, 263)).toString('latin1');
  if (ustar === 'ustar\u0000' || ustar === 'ustar ') return { reader: 'tar', compression: 'none' };
  return undefined;
}

function cannotRead(input: string, why: string, cause?: unknown): KpkgError {
  return new KpkgError(`cannot read ${input}: ${why}`, {
    where: input,
    exitCode: 2,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The first 512 bytes of a file (fewer when it is shorter): enough for inputKindOf. */
export async function readHead(input: string): Promise<Buffer> {
  const file = await open(input, 'r');
  try {
    const buffer = Buffer.alloc(512);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

function systemError(e: unknown): e is NodeJS.ErrnoException {
  return (
    e instanceof Error &&
    typeof (e as NodeJS.ErrnoException).code === 'string' &&
    typeof (e as NodeJS.ErrnoException).syscall === 'string'
  );
}

async function dispatch(input: string): Promise<ReadPackage> {
  const info = await stat(input);
  if (info.isDirectory()) return readDirectory(input);
  if (!info.isFile()) throw cannotRead(input, 'it is neither a regular file nor a directory');
  if (info.size === 0) throw cannotRead(input, 'the file is empty (0 bytes)');
  const head = await readHead(input);
  const kind = inputKindOf(head);
  if (kind === undefined) {
    const hex = [...head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw cannotRead(
      input,
      `unknown file format (first bytes ${hex}): expected a .deb, .rpm, .pkg.tar.{zst,xz}, .tar[.gz|.xz|.zst|.bz2] or a directory`,
    );
  }
  return CONTAINER_READERS[kind.reader].read(input, kind.reader === 'tar' ? kind.compression : 'none');
}

/** Reads one input completely; every failure to do so is a KpkgError with exit status 2. */
export async function readInput(input: string): Promise<ReadPackage> {
  try {
    return await dispatch(input);
  } catch (e) {
    if (e instanceof KpkgError) {
      if (e.exitCode === 2) throw e;
      const message = e.message.startsWith(input) ? e.message.slice(input.length).replace(/^:? /, '') : e.message;
      throw new KpkgError(`cannot read ${input}: ${message}`, {
        where: input,
        exitCode: 2,
        cause: e,
        ...(e.hint === undefined ? {} : { hint: e.hint }),
      });
    }
    if (systemError(e)) throw cannotRead(input, e.code === 'ENOENT' ? 'no such file or directory' : e.message, e);
    throw e;
  }
}
