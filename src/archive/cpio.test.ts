import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile, link } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { KpkgError } from '../util/errors.js';
import { readCpio, type CpioEntry } from './cpio.js';

const run = promisify(execFile);

/** `cpio -o -H newc` (GNU cpio, package cpio) of the given names, run in `cwd`. */
async function gnuCpio(cwd: string, names: string[], format = 'newc'): Promise<Buffer> {
  const child = spawn('cpio', ['-o', '-H', format, '--quiet'], { cwd });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const closed = new Promise<number | null>((resolve, reject) => {
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? new Error('cpio is not installed: apt-get install cpio') : e));
    child.on('close', resolve);
  });
  child.stdin.end(`${names.join('\n')}\n`);
  const code = await closed;
  if (code !== 0) throw new Error(`cpio failed (${code}): ${stderr}`);
  return Buffer.concat(chunks);
}

interface Read {
  name: string;
  type: string;
  size: number;
  nlink: number;
  ino: number;
  data: string;
}

async function readAll(input: Buffer | readonly Buffer[]): Promise<Read[]> {
  const out: Read[] = [];
  const chunks: readonly Buffer[] = Buffer.isBuffer(input) ? [input] : input;
  for await (const e of readCpio(chunks)) out.push(await summarize(e));
  return out;
}

async function summarize(e: CpioEntry): Promise<Read> {
  return { name: e.name, type: e.type, size: e.size, nlink: e.nlink, ino: e.ino, data: (await e.bytes()).toString('utf8') };
}

async function rejects(input: Buffer, pattern: RegExp): Promise<void> {
  await assert.rejects(readAll(input), (e: unknown) => e instanceof KpkgError && pattern.test(e.message));
}

describe('readCpio on archives written by GNU cpio', () => {
  let dir = '';
  let archive: Buffer = Buffer.alloc(0);
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kpkg-cpio-'));
    await mkdir(join(dir, 'usr/src/tree'), { recursive: true });
    await writeFile(join(dir, 'usr/src/tree/Makefile'), 'all:\n\ttrue\n');
    await writeFile(join(dir, 'usr/src/tree/odd'), 'x'.repeat(4097));
    await writeFile(join(dir, 'usr/src/tree/empty'), '');
    await symlink('../tree/Makefile', join(dir, 'usr/src/tree/link'));
    await link(join(dir, 'usr/src/tree/Makefile'), join(dir, 'usr/src/tree/hard'));
    archive = await gnuCpio(dir, ['usr', 'usr/src', 'usr/src/tree', 'usr/src/tree/Makefile', 'usr/src/tree/odd', 'usr/src/tree/empty', 'usr/src/tree/link', 'usr/src/tree/hard']);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('reads names, types, sizes, symlink targets and data', async () => {
    const entries = await readAll(archive);
    const byName = new Map(entries.map((e) => [e.name, e]));
    // GNU cpio defers hard-linked files to after the others.
    assert.deepEqual([...byName.keys()].sort(), ['usr', 'usr/src', 'usr/src/tree', 'usr/src/tree/Makefile', 'usr/src/tree/empty', 'usr/src/tree/hard', 'usr/src/tree/link', 'usr/src/tree/odd']);
    assert.equal(byName.get('usr/src/tree')?.type, 'dir');
    assert.equal(byName.get('usr/src/tree/odd')?.data, 'x'.repeat(4097));
    assert.equal(byName.get('usr/src/tree/empty')?.size, 0);
    assert.deepEqual([byName.get('usr/src/tree/link')?.type, byName.get('usr/src/tree/link')?.data], ['symlink', '../tree/Makefile']);
    // GNU cpio writes the data of a hard-linked file with its last name only.
    const makefile = byName.get('usr/src/tree/Makefile');
    const hard = byName.get('usr/src/tree/hard');
    assert.equal(makefile?.ino, hard?.ino);
    assert.equal(makefile?.nlink, 2);
    assert.deepEqual([makefile?.size, hard?.data], [0, 'all:\n\ttrue\n']);
  });

  it('reads the same archive delivered one byte at a time', async () => {
    const bytes = [...archive].map((b) => Buffer.from([b]));
    assert.deepEqual(await readAll(bytes), await readAll(archive));
  });

  it('skips bodies the consumer does not read', async () => {
    const names: string[] = [];
    for await (const e of readCpio([archive])) names.push(e.name);
    assert.equal(names.length, 8);
  });

  it('rejects truncation anywhere with a KpkgError, never a hang', async () => {
    // GNU cpio pads the archive to 512 bytes after the trailer: cut before the trailer's end.
    const trailerEnd = archive.indexOf('TRAILER!!!') + 10;
    for (const cut of [0, 50, 110, 115, 200, trailerEnd - 200, trailerEnd - 5]) {
      await assert.rejects(readAll(archive.subarray(0, cut)), KpkgError, `cut at ${cut}`);
    }
  });

  it('rejects other cpio formats and bad magic', async () => {
    await rejects(await gnuCpio(dir, ['usr'], 'odc'), /odc/);
    await rejects(Buffer.from('not a cpio archive at all, just text that is long enough to fill a header...........................................'), /bad cpio magic/);
  });

  it('rejects malformed fields and absurd name sizes', async () => {
    const header = Buffer.from(archive.subarray(0, 110));
    const badHex = Buffer.from(header);
    badHex.write('zzzzzzzz', 6 + 6 * 8, 'latin1'); // filesize
    await rejects(Buffer.concat([badHex, archive.subarray(110)]), /filesize field "zzzzzzzz" is not 8 hex digits/);
    const hugeName = Buffer.from(header);
    hugeName.write('7fffffff', 6 + 11 * 8, 'latin1'); // namesize
    await rejects(Buffer.concat([hugeName, archive.subarray(110)]), /declares a name of 2147483647 bytes/);
    const hugeFile = Buffer.from(header);
    hugeFile.write('ffffffff', 6 + 6 * 8, 'latin1');
    const skipAll = async (): Promise<void> => {
      for await (const e of readCpio([Buffer.concat([hugeFile, archive.subarray(110)])])) assert.equal(e.size, 0xffffffff);
    };
    await assert.rejects(skipAll(), (e: unknown) => e instanceof KpkgError && /truncated: it declares 4294967295 bytes/.test(e.message));
  });

  it('GNU cpio is installed (the tests above need it)', async () => {
    const { stdout } = await run('cpio', ['--version']);
    assert.match(stdout, /GNU cpio/);
  });
});
