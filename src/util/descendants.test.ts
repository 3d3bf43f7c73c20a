import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { descendantPids, stopDescendants } from './descendants.js';

test('a grandchild in its own session is still a descendant, and stopDescendants ends them all', async () => {
  // sh starts a sleep in a new session (setsid) and waits for it.
  const child = spawn('sh', ['-c', 'setsid sleep 30 & wait'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  assert.ok(child.pid !== undefined);
  let found: number[] = [];
  for (let i = 0; i < 100 && found.length < 2; i++) {
    await sleep(20);
    found = await descendantPids();
  }
  assert.equal(found[0], child.pid, 'parents before their children');
  assert.equal(found.length, 2, `sh and its sleep: ${found.join(' ')}`);
  await stopDescendants(1000);
  assert.deepEqual(await descendantPids(), []);
  await exited;
});
