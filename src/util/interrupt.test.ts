import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { isRunning } from '../testing/processes.js';

const INTERRUPT = fileURLToPath(new URL('./interrupt.js', import.meta.url));
const RUN_TEMP = fileURLToPath(new URL('./run-temp.js', import.meta.url));

/**
 * A process like a kpkg run: its own temporary directory (TMPDIR), a cleanup, a child that starts a
 * grandchild in a new session (so only a /proc walk finds it), and optionally a critical section.
 */
function fakeRun(dir: string, options: { criticalMs?: number } = {}) {
  const script = `
    import { spawn } from 'node:child_process';
    import { writeFileSync } from 'node:fs';
    import { critical, handleInterrupts, onInterrupt } from ${JSON.stringify(INTERRUPT)};
    import { useRunTempDir } from ${JSON.stringify(RUN_TEMP)};
    handleInterrupts(() => undefined);
    const temp = await useRunTempDir();
    writeFileSync(temp.path + '/scratch', 'x');
    onInterrupt(() => writeFileSync(${JSON.stringify(join(dir, 'cleaned'))}, 'yes'));
    const child = spawn('sh', ['-c', 'setsid sleep 300 & echo $! > ${join(dir, 'grandchild')}; exec sleep 300'], { stdio: 'ignore' });
    writeFileSync(${JSON.stringify(join(dir, 'child'))}, String(child.pid));
    writeFileSync(${JSON.stringify(join(dir, 'temp'))}, temp.path);
    ${options.criticalMs === undefined ? '' : `await critical(async () => { writeFileSync(${JSON.stringify(join(dir, 'critical'))}, 'in'); await new Promise((r) => setTimeout(r, ${options.criticalMs})); writeFileSync(${JSON.stringify(join(dir, 'critical'))}, 'done'); });`}
    await new Promise((r) => setTimeout(r, 600000));`;
  return spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: 'inherit',
    env: { ...process.env, TMPDIR: dir },
  });
}

async function waitFor(file: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text !== '') return text.trim();
    await sleep(25);
  }
  throw new Error(`${file} never appeared`);
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const) {
  test(`${signal}: every descendant stopped (even in another session), cleanups run, the run's TMPDIR removed, exit ${code}`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kpkg-interrupt-'));
    try {
      const run = fakeRun(dir);
      const child = Number(await waitFor(join(dir, 'child')));
      const grandchild = Number(await waitFor(join(dir, 'grandchild')));
      const temp = await waitFor(join(dir, 'temp'));
      run.kill(signal);
      const [exitCode] = (await once(run, 'exit')) as [number | null];
      assert.equal(exitCode, code);
      assert.equal(await readFile(join(dir, 'cleaned'), 'utf8'), 'yes');
      assert.equal(await isRunning(child), false, 'the child is gone');
      assert.equal(await isRunning(grandchild), false, 'the grandchild in its own session is gone');
      assert.deepEqual(
        (await readdir(dir)).filter((n) => join(dir, n) === temp),
        [],
        'the run directory is removed',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test('a critical section finishes before the signal is handled', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-interrupt-'));
  try {
    const run = fakeRun(dir, { criticalMs: 700 });
    await waitFor(join(dir, 'critical'));
    run.kill('SIGINT');
    const [exitCode] = (await once(run, 'exit')) as [number | null];
    assert.equal(exitCode, 130);
    assert.equal(await readFile(join(dir, 'critical'), 'utf8'), 'done');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a second signal exits at once, during a critical section too', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-interrupt-'));
  try {
    const run = fakeRun(dir, { criticalMs: 60_000 });
    await waitFor(join(dir, 'critical'));
    const started = performance.now();
    run.kill('SIGINT');
    await sleep(200);
    run.kill('SIGINT');
    const [exitCode] = (await once(run, 'exit')) as [number | null];
    assert.equal(exitCode, 130);
    assert.ok(performance.now() - started < 10_000, 'it did not wait for the critical section');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
