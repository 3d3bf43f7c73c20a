/**
 * Test helper (not used by kpkg itself): the sample entries of the tar writer's and reader's
 * tests (tar.test.ts, tar.slow.test.ts) and reading an archive back.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { TarEntry } from '../archive/tar.js';
import { readTar } from '../archive/tar.js';

export const MTIME = 1700000000; // 2023-11-14 22:13:20 UTC

export async function toBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface ReadBack {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  mtime: number;
  linkname: string;
  data: Buffer;
}

export async function readBack(input: Buffer | Readable): Promise<ReadBack[]> {
  const out: ReadBack[] = [];
  for await (const entry of readTar(Buffer.isBuffer(input) ? [input] : input)) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry.body) chunks.push(chunk);
    const { name, type, mode, uid, gid, uname, gname, mtime, linkname } = entry;
    out.push({ name, type, mode, uid, gid, uname, gname, mtime, linkname, data: Buffer.concat(chunks) });
  }
  return out;
}

export const longDir = `./usr/src/linux-headers-6.12.95+bpo-arm64/${'d'.repeat(120)}/`;
export const longFile = `${longDir}${'e'.repeat(150)}/file.h`; // > 255 bytes
export const name100 = `./${'n'.repeat(98)}`; // exactly 100 bytes: fits without a long-name entry
export const toolContent = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 251));

/**
 * Writes the files the sample entries read from disk (dir/src/tool, dir/src/header.h) and returns
 * the entries: directories, files from disk and from bytes, odd modes, long names and link targets.
 */
export async function sampleEntries(dir: string): Promise<TarEntry[]> {
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'src', 'tool'), toolContent);
  await writeFile(join(dir, 'src', 'header.h'), '#define X 1\n');
  return [
    { type: 'dir', name: './', mode: 0o755, mtime: MTIME },
    { type: 'dir', name: './usr', mode: 0o755, mtime: MTIME },
    { type: 'dir', name: './usr/bin/', mode: 0o755, mtime: MTIME },
    {
      type: 'file',
      name: './usr/bin/tool',
      mode: 0o755,
      mtime: MTIME,
      size: toolContent.length,
      content: { from: 'disk', path: join(dir, 'src', 'tool') },
    },
    {
      type: 'file',
      name: './usr/empty',
      mode: 0o644,
      mtime: MTIME,
      size: 0,
      content: { from: 'bytes', data: new Uint8Array(0) },
    },
    {
      type: 'file',
      name: './usr/secret',
      mode: 0o600,
      mtime: MTIME,
      size: 3,
      content: { from: 'bytes', data: Buffer.from('pst') },
    },
    {
      type: 'file',
      name: './usr/setuid',
      mode: 0o4755,
      mtime: MTIME,
      size: 2,
      content: { from: 'bytes', data: Buffer.from('#!') },
    },
    { type: 'dir', name: './usr/src/', mode: 0o755, mtime: MTIME },
    { type: 'dir', name: './usr/src/linux-headers-6.12.95+bpo-arm64/', mode: 0o755, mtime: MTIME },
    { type: 'dir', name: longDir, mode: 0o755, mtime: MTIME },
    { type: 'dir', name: `${longDir}${'e'.repeat(150)}/`, mode: 0o755, mtime: MTIME },
    {
      type: 'file',
      name: longFile,
      mode: 0o644,
      mtime: MTIME,
      size: 12,
      content: { from: 'disk', path: join(dir, 'src', 'header.h') },
    },
    {
      type: 'file',
      name: name100,
      mode: 0o644,
      mtime: MTIME,
      size: 1,
      content: { from: 'bytes', data: Buffer.from('x') },
    },
    { type: 'symlink', name: './usr/link', target: 'bin/tool', mtime: MTIME },
    { type: 'symlink', name: './usr/dangling', target: 't'.repeat(150), mtime: MTIME },
    { type: 'symlink', name: `${longDir}both-long`, target: `../${'u'.repeat(140)}`, mtime: MTIME },
  ];
}
