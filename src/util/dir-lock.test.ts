import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { withDirLock } from './dir-lock.js';

test('holders of the same lock run one after the other', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-lock-'));
  try {
    const events: string[] = [];
    const holder = (name: string) => withDirLock(join(dir, 'lock'), async () => {
      events.push(`${name} in`);
      await sleep(50);
      events.push(`${name} out`);
      return name;
    });
    assert.deepEqual(await Promise.all([holder('a'), holder('b')]), ['a', 'b']);
    assert.ok(events.join(',') === 'a in,a out,b in,b out' || events.join(',') === 'b in,b out,a in,a out', events.join(','));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a lock left by a dead process is taken over; the lock is gone afterwards, even on error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-lock-'));
  try {
    const lock = join(dir, 'lock');
    await mkdir(lock);
    await writeFile(join(lock, 'pid'), '999999999');
    await assert.rejects(withDirLock(lock, () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await withDirLock(lock, () => Promise.resolve(42)), 42);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
