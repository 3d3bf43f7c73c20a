import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { runningInGroup } from '../../testing/processes.js';
import { DEFAULT_LIMITS, type SandboxLimits } from './limits.js';
import {
  commandLine,
  crossing,
  formatSize,
  pageSize,
  pageSizeFromAuxv,
  processTree,
  watchSandbox,
  type WatchdogVerdict,
} from './watchdog.js';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

test('the process tree holds the root and all its descendants, and nothing else', () => {
  const parents = new Map([
    [1, 0],
    [10, 1],
    [11, 10],
    [12, 11],
    [13, 12],
    [14, 10],
    [20, 1],
    [21, 20],
  ]);
  assert.deepEqual(processTree(parents, 10), [10, 11, 14, 12, 13]);
  assert.deepEqual(processTree(parents, 21), [21]);
  assert.deepEqual(processTree(parents, 99), [], 'an ended root and no children');
  assert.deepEqual(processTree(new Map([[5, 99]]), 99), [5], 'children of an ended root still count');
  assert.deepEqual(
    processTree(
      new Map([
        [2, 3],
        [3, 2],
      ]),
      2,
    ),
    [2, 3],
    'a cycle (pids reused between reads) ends',
  );
});

test('sizes are written in binary units with one decimal at most', () => {
  assert.equal(formatSize(4.1 * GIB), '4.1 GiB');
  assert.equal(formatSize(4 * GIB), '4 GiB');
  assert.equal(formatSize(300 * MIB), '300 MiB');
  assert.equal(formatSize(1536), '1.5 KiB');
  assert.equal(formatSize(512), '512 bytes');
  assert.equal(formatSize(8 * 1024 * GIB), '8 TiB');
});

test('the first bound crossed is named, with used and limit told apart', () => {
  const limits: SandboxLimits = { processes: 10, memoryBytes: 4 * GIB, diskBytes: 8 * GIB, timeMs: 1000 };
  const within = { processCount: 9, memoryBytes: 4 * GIB, diskBytes: 8 * GIB };
  assert.equal(crossing(within, limits), undefined);
  assert.deepEqual(crossing({ ...within, processCount: 10 }, limits), {
    limit: 'processes',
    reason: 'the sandbox ran 10 processes at once, reaching its limit of 10',
  });
  assert.deepEqual(crossing({ ...within, memoryBytes: 4.1 * GIB }, limits), {
    limit: 'memory',
    reason: "the sandbox's processes used 4.1 GiB of memory together, over its 4 GiB limit",
  });
  assert.equal(
    crossing({ ...within, memoryBytes: 4 * GIB + 2 * MIB }, limits)?.reason,
    "the sandbox's processes used 4.002 GiB of memory together, over its 4 GiB limit",
  );
  assert.deepEqual(crossing({ ...within, diskBytes: 9 * GIB, memoryBytes: 5 * GIB }, limits)?.limit, 'memory');
  assert.equal(
    crossing({ ...within, diskBytes: 9 * GIB }, limits)?.reason,
    'the sandbox filled 9 GiB of the file system holding its rootfs, over its 8 GiB limit',
  );
});

test('a command line is one printable line of at most ~200 characters', () => {
  assert.equal(commandLine(Buffer.from('make\0-j2\0modules\0')), 'make -j2 modules');
  assert.equal(
    commandLine(Buffer.from('sh\0-c\0echo x\nresult: PASS\x1b[2J\0')),
    'sh -c echo x\\nresult: PASS\\x1b[2J',
  );
  const long = commandLine(Buffer.from(`cc1\0${'é'.repeat(1000)}`));
  assert.equal(long, `cc1 ${'é'.repeat(196)}…`);
});

test('the page size is read from the auxiliary vector, in either byte order and word size', () => {
  const le = Buffer.alloc(48);
  le.writeBigUInt64LE(33n, 0);
  le.writeBigUInt64LE(6n, 16);
  le.writeBigUInt64LE(65536n, 24);
  assert.equal(pageSizeFromAuxv(le, 8, true), 65536);
  const be = Buffer.alloc(16);
  be.writeUInt32BE(6, 0);
  be.writeUInt32BE(16384, 4);
  assert.equal(pageSizeFromAuxv(be, 4, false), 16384);
  assert.equal(pageSizeFromAuxv(Buffer.alloc(32), 8, true), undefined);
});

/** A shell script in a process group of its own, so that the test can end all it started. */
function spawnGroup(script: string, ...args: string[]): { child: ChildProcess; pid: number; exited: Promise<unknown> } {
  const child = spawn('sh', ['-c', script, 'sh', ...args], { detached: true, stdio: 'ignore' });
  assert.ok(child.pid !== undefined);
  return { child, pid: child.pid, exited: once(child, 'exit') };
}

async function endGroup(pgid: number): Promise<void> {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // All gone already.
  }
  for (let i = 0; i < 100 && (await runningInGroup(pgid)).length > 0; i++) await sleep(20);
}

/** Whether the child ended (within `ms`) by SIGKILL. */
async function killedWithin(child: ChildProcess, exited: Promise<unknown>, ms: number): Promise<boolean> {
  await Promise.race([exited, sleep(ms)]);
  return child.signalCode === 'SIGKILL';
}

function limitsWith(overrides: Partial<SandboxLimits>): SandboxLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}

const ALLOCATE_300_MIB = `${JSON.stringify(process.execPath)} -e "const b = Buffer.alloc(300 * 2 ** 20, 1); setTimeout(() => {}, 60000)" & wait`;

test('a grandchild holding 300 MiB crosses a 200 MiB memory limit: the command is killed', async () => {
  const { child, pid, exited } = spawnGroup(ALLOCATE_300_MIB);
  let verdict: WatchdogVerdict | undefined;
  try {
    const watchdog = watchSandbox(pid, {
      limits: limitsWith({ memoryBytes: 200 * MIB }),
      diskPath: tmpdir(),
      intervalMs: 100,
    });
    const killed = await killedWithin(child, exited, 5000);
    verdict = watchdog.stop();
    assert.ok(killed, 'killed by SIGKILL');
  } finally {
    await endGroup(pid);
  }
  assert.equal(verdict?.limit, 'memory');
  assert.match(
    verdict.reason,
    /^the sandbox's processes used \d+(\.\d)? MiB of memory together, over its 200 MiB limit$/,
  );
  assert.match(verdict.processes[0] ?? '', /-e const b = Buffer\.alloc\(300/, verdict.processes.join('\n'));
  assert.ok(verdict.processes.length <= 8);
});

test('the same grandchild within a 1 GiB limit runs on', async () => {
  const { child, pid } = spawnGroup(ALLOCATE_300_MIB);
  try {
    const watchdog = watchSandbox(pid, {
      limits: limitsWith({ memoryBytes: GIB }),
      diskPath: tmpdir(),
      intervalMs: 100,
    });
    await sleep(2000);
    assert.equal(watchdog.stop(), undefined);
    assert.equal(child.exitCode, null);
    assert.equal(child.signalCode, null);
  } finally {
    await endGroup(pid);
  }
});

test('50 processes cross a limit of 20', async () => {
  const { child, pid, exited } = spawnGroup('for i in $(seq 50); do sleep 60 & done; wait');
  let verdict: WatchdogVerdict | undefined;
  try {
    const watchdog = watchSandbox(pid, { limits: limitsWith({ processes: 20 }), diskPath: tmpdir(), intervalMs: 100 });
    const killed = await killedWithin(child, exited, 5000);
    verdict = watchdog.stop();
    assert.ok(killed, 'killed by SIGKILL');
  } finally {
    await endGroup(pid);
  }
  assert.equal(verdict?.limit, 'processes');
  assert.match(verdict.reason, /^the sandbox ran \d+ processes at once, reaching its limit of 20$/);
  assert.equal(verdict.processes.length, 8);
  assert.ok(verdict.processes.includes('sleep 60'), verdict.processes.join('\n'));
});

test('a 300 MiB file crosses a 100 MiB disk limit', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-watchdog-'));
  const { child, pid, exited } = spawnGroup('dd if=/dev/zero of="$1/fill" bs=1M count=300 2>/dev/null; sleep 60', dir);
  let verdict: WatchdogVerdict | undefined;
  try {
    const watchdog = watchSandbox(pid, {
      limits: limitsWith({ diskBytes: 100 * MIB }),
      diskPath: dir,
      intervalMs: 100,
    });
    const killed = await killedWithin(child, exited, 5000);
    verdict = watchdog.stop();
    assert.ok(killed, 'killed by SIGKILL');
  } finally {
    await endGroup(pid);
    await rm(dir, { recursive: true, force: true });
  }
  assert.equal(verdict?.limit, 'disk');
  assert.match(
    verdict.reason,
    /^the sandbox filled \d+(\.\d)? MiB of the file system holding its rootfs, over its 100 MiB limit$/,
  );
});

test('the command is killed once, at the first crossing, and never after stop()', async () => {
  const { pid } = spawnGroup('sleep 60');
  try {
    const killed: number[] = [];
    const limits = limitsWith({ processes: 1 });
    const watchdog = watchSandbox(pid, { limits, diskPath: tmpdir(), intervalMs: 50, kill: (p) => killed.push(p) });
    await sleep(500);
    assert.deepEqual(killed, [pid]);
    assert.equal(watchdog.stop()?.limit, 'processes');
    const stoppedFirst = watchSandbox(pid, { limits, diskPath: tmpdir(), intervalMs: 50, kill: (p) => killed.push(p) });
    assert.equal(stoppedFirst.stop(), undefined);
    await sleep(200);
    assert.deepEqual(killed, [pid]);
  } finally {
    await endGroup(pid);
  }
});

test('a watchdog never keeps Node running', async () => {
  const module = JSON.stringify(new URL('./watchdog.js', import.meta.url).href);
  const script = `import(${module}).then((m) => m.watchSandbox(process.pid, { limits: ${JSON.stringify(DEFAULT_LIMITS)}, diskPath: '/' }))`;
  const child = spawn(process.execPath, ['-e', script], { stdio: 'inherit' });
  const [code] = (await Promise.race([once(child, 'exit'), sleep(3000).then(() => ['still running'])])) as unknown[];
  child.kill('SIGKILL');
  assert.equal(code, 0);
});

test('the page size read matches getconf', () => {
  const expected = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim());
  assert.equal(pageSize(), expected);
});
