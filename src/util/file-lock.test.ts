import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lockHolder, withLock } from './file-lock.js';

const MODULE = fileURLToPath(new URL('./file-lock.js', import.meta.url));

/** A separate node process that takes the lock, logs "in"/"out" around a pause, and exits. */
function racer(lock: string, log: string, name: string, holdMs: number) {
  const script = `
    import { appendFileSync } from 'node:fs';
    import { withLock } from ${JSON.stringify(MODULE)};
    await withLock(${JSON.stringify(lock)}, async () => {
      appendFileSync(${JSON.stringify(log)}, '${name} in\\n');
      await new Promise((r) => setTimeout(r, ${holdMs}));
      appendFileSync(${JSON.stringify(log)}, '${name} out\\n');
    }, (pid) => appendFileSync(${JSON.stringify(log)}, '${name} waits for ' + pid + '\\n'));`;
  return spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
}

test('racing processes hold the lock one at a time', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-lock-'));
  try {
    const lock = join(dir, 'lock');
    const log = join(dir, 'log');
    const children = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => racer(lock, log, name, 30));
    const codes = await Promise.all(children.map(async (c) => (await once(c, 'exit'))[0] as number));
    assert.deepEqual(codes, [0, 0, 0, 0, 0, 0]);
    const inOut = (await readFile(log, 'utf8')).split('\n').filter((l) => / (in|out)$/.test(l));
    assert.equal(inOut.length, 12);
    for (let i = 0; i < inOut.length; i += 2) {
      const name = inOut[i]?.split(' ')[0] ?? '';
      assert.deepEqual([inOut[i], inOut[i + 1]], [`${name} in`, `${name} out`], `interleaved: ${inOut.join(', ')}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a holder killed with SIGKILL releases the lock; a waiter learns who holds it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-lock-'));
  try {
    const lock = join(dir, 'lock');
    const log = join(dir, 'log');
    const holder = racer(lock, log, 'holder', 60_000);
    for (let i = 0; i < 200 && !(await readFile(log, 'utf8').catch(() => '')).includes('holder in'); i++)
      await new Promise((r) => setTimeout(r, 25));
    assert.equal(await lockHolder(lock), holder.pid, 'the holder is the kpkg process, not its flock child');
    let waitedFor: number | undefined;
    const waiting = withLock(
      lock,
      () => Promise.resolve('mine'),
      (pid) => (waitedFor = pid),
    );
    await new Promise((r) => setTimeout(r, 200));
    holder.kill('SIGKILL');
    assert.equal(await waiting, 'mine');
    assert.equal(waitedFor, holder.pid);
    // Still usable afterwards, and an error inside releases it too.
    await assert.rejects(
      withLock(lock, () => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(await withLock(lock, () => Promise.resolve(42)), 42);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
