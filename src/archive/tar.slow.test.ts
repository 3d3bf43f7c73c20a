// The tar writer against GNU tar's own archive of the same tree, and its read-ahead over thousands
// of files (not in test:unit; the other tar tests are in tar.test.ts).
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { TarEntry } from './tar.js';
import { tarStream } from './tar.js';
import { MTIME, readBack, sampleEntries, toBuffer } from '../testing/tar-fixtures.js';

const run = promisify(execFile);

let dir = '';
let entries: TarEntry[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kpkg-tar-'));
  entries = await sampleEntries(dir);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

void describe('tar writer', () => {
  void it('is byte-identical to GNU tar --format=gnu (what dpkg-deb runs) on the same tree', async () => {
    // Materialize the entries on disk with their modes and mtimes, then let GNU tar archive them
    // in the same order.
    const tree = await mkdtemp(join(dir, 'tree-'));
    for (const entry of entries) {
      const path = join(tree, entry.name);
      if (entry.type === 'dir') await mkdir(path, { recursive: true });
      else if (entry.type === 'symlink') await symlink(entry.target, path);
      else
        await writeFile(path, entry.content.from === 'bytes' ? entry.content.data : await readFile(entry.content.path));
    }
    for (const entry of entries) {
      const path = join(tree, entry.name);
      if (entry.type !== 'symlink') await chmod(path, entry.mode);
      await run('touch', ['-h', '-d', `@${MTIME}`, path]);
    }
    const list = entries.map((entry) => (entry.name === './' ? '.' : entry.name.replace(/\/$/, ''))).join('\0');
    const child = spawn(
      'tar',
      ['-cf', '-', '--format=gnu', '--owner=root:0', '--group=root:0', '--null', '--no-recursion', '-T', '-'],
      { cwd: tree },
    );
    child.stdin.end(list);
    const [gnu] = await Promise.all([toBuffer(child.stdout), new Promise((resolve) => child.on('close', resolve))]);
    const ours = await toBuffer(tarStream(entries));
    assert.equal(ours.length, gnu.length);
    assert.ok(ours.equals(gnu), 'archives differ');
  });

  void it('reads thousands of files ahead in bounded parallel, in order', async () => {
    const many = await mkdtemp(join(dir, 'many-'));
    const files: TarEntry[] = [];
    const contents = new Map<string, Buffer>();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 3000; i++) {
      const data = Buffer.from(`file ${i}\n`.repeat(i % 97));
      const path = join(many, `f${i}`);
      writes.push(writeFile(path, data));
      const name = `./f${String(i).padStart(5, '0')}`;
      contents.set(name, data);
      files.push({ type: 'file', name, mode: 0o644, mtime: MTIME, size: data.length, content: { from: 'disk', path } });
    }
    await Promise.all(writes);
    // Small limits: some files are streamed, the byte budget throttles the read-ahead.
    const back = await readBack(tarStream(files, { prefetch: 16, prefetchBytes: 4096, wholeFileLimit: 600 }));
    assert.deepEqual(
      back.map((entry) => entry.name),
      files.map((entry) => entry.name),
    );
    for (const entry of back) assert.ok(entry.data.equals(contents.get(entry.name) ?? Buffer.alloc(1)), entry.name);
  });
});
