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

export function file(name: string, data: string): TarEntry {
  return {
    type: 'file',
    name,
    mode: 0o644,
    mtime: MTIME,
    size: Buffer.byteLength(data),
    content: { from: 'bytes', data: Buffer.from(data) },
  };
}

/** A .deb at `path` assembled with kpkg's own ar writer around the given (uncompressed) data.tar bytes. */
export async function writeDebAround(path: string, dataTar: Buffer, dataName = 'data.tar'): Promise<string> {
  const control = await bytesOf([
    file('./control', 'Package: evil\nVersion: 1\nArchitecture: arm64\nMaintainer: x <x@x.invalid>\nDescription: x\n'),
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
