/**
 * Test helper (not used by kpkg itself): malformed inputs for kpkg verify and the check that it
 * refuses them with exit status 2 (verify/malformed.test.ts, verify/malformed.slow.test.ts).
 */
import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { ArWriter } from '../archive/ar.js';
import { tarStream, type TarEntry } from '../archive/tar.js';
import { runKpkgInProcess, type KpkgRun } from './run-kpkg.js';

export const MTIME = 1700000000;

export async function bytesOf(entries: TarEntry[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of tarStream(entries)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function file(name: string, data: string | Buffer): TarEntry {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return { type: 'file', name, mode: 0o644, mtime: MTIME, size: bytes.length, content: { from: 'bytes', data: bytes } };
}

/** TAR_BLOCK-sized header fields (POSIX ustar): name, checksum, typeflag. */
const TAR_NAME = { at: 0, length: 100 };
const TAR_LINKNAME = { at: 157, length: 100 };
const TAR_CHECKSUM = { at: 148, length: 8 };
export const TAR_TYPEFLAG = 156;

/**
 * The header of the entry named `name` in `tar` (a subarray: changes go into `tar`); call
 * sealTarHeader after changing it.
 */
export function tarHeaderNamed(tar: Buffer, name: string): Buffer {
  for (let at = 0; at + 512 <= tar.length; at += 512) {
    const header = tar.subarray(at, at + 512);
    if (
      header
        .subarray(TAR_NAME.at, TAR_NAME.at + TAR_NAME.length)
        .toString('latin1')
        .split('\0')[0] === name
    )
      return header;
  }
  throw new Error(`no tar header named ${name}`);
}

/** Makes a changed header's checksum right again. */
export function sealTarHeader(header: Buffer): void {
  header.fill(' ', TAR_CHECKSUM.at, TAR_CHECKSUM.at + TAR_CHECKSUM.length);
  const sum = header.reduce((total, byte) => total + byte, 0);
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, TAR_CHECKSUM.at, 'latin1');
}

/**
 * `tar` with the name (or link target) of the entry `name` set to the raw bytes `bytes` (at most
 * 100, e.g. not UTF-8), written into the header as they are, whatever kpkg's tar writer would
 * make of them.
 */
export function setTarName(tar: Buffer, name: string, bytes: Buffer, field: 'name' | 'linkname' = 'name'): Buffer {
  const { at, length } = field === 'name' ? TAR_NAME : TAR_LINKNAME;
  if (bytes.length > length) throw new Error(`a ${field} of at most ${length} bytes`);
  const header = tarHeaderNamed(tar, name);
  header.fill(0, at, at + length);
  bytes.copy(header, at);
  sealTarHeader(header);
  return tar;
}

/**
 * A .deb at `path` assembled with kpkg's own ar writer around the given (uncompressed) data.tar
 * bytes; `controlFiles` go into control.tar beside the control file (md5sums, conffiles).
 */
export async function writeDebAround(
  path: string,
  dataTar: Buffer,
  dataName = 'data.tar',
  controlFiles: TarEntry[] = [],
): Promise<string> {
  const control = await bytesOf([
    file('./control', 'Package: evil\nVersion: 1\nArchitecture: arm64\nMaintainer: x <x@x.invalid>\nDescription: x\n'),
    ...controlFiles,
  ]);
  const out = createWriteStream(path);
  const ar = new ArWriter(out);
  await ar.add({ name: 'debian-binary', size: 4, mtime: MTIME }, Buffer.from('2.0\n'));
  await ar.add({ name: 'control.tar', size: control.length, mtime: MTIME }, control);
  await ar.add({ name: dataName, size: dataTar.length, mtime: MTIME }, dataTar);
  await ar.end();
  return path;
}

export async function expectUnreadable(
  args: string[],
  pattern: RegExp,
  run: (args: readonly string[]) => Promise<KpkgRun> = runKpkgInProcess,
): Promise<void> {
  const started = Date.now();
  const r = await run(['verify', ...args]);
  assert.equal(r.exitCode, 2, `exit status for ${args.join(' ')}: ${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /internal error/);
  assert.equal(r.stdout, '', 'no report for an unreadable input');
  assert.ok(Date.now() - started < 30_000, 'finishes promptly');
}
