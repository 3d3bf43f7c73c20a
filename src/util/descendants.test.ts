import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { descendantPids, parseProcStat, stopDescendants } from './descendants.js';

test('a /proc stat line is read after the last parenthesis, whatever the command name holds', () => {
  assert.deepEqual(parseProcStat('123 (cc1 (x) y) S 45 67 67 0 -1'), { state: 'S', ppid: 45, pgrp: 67 });
  assert.deepEqual(parseProcStat('9 (make) Z 1 9 9'), { state: 'Z', ppid: 1, pgrp: 9 });
  assert.equal(parseProcStat(''), undefined);
  assert.equal(parseProcStat('9 (make) S x 9'), undefined);
});

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
