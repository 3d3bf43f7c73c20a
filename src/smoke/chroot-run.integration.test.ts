import assert from 'node:assert/strict';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { runInChroot } from './chroot-run.js';
import { mountsBelow } from './mounts.js';
import { unpackRootfs, type UnpackedRootfs } from './rootfs.js';
import { debianArm64Rootfs } from '../testing/smoke-fixtures.js';

/** Host processes whose root directory is `dir` (i.e. still running inside that chroot). */
async function processesRootedIn(dir: string): Promise<string[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const inside: string[] = [];
  for (const pid of pids) {
    const processRoot = await readlink(`/proc/${pid}/root`).catch(() => '');
    if (processRoot === dir)
      inside.push(`${pid}: ${(await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ')}`);
  }
  return inside;
}

let rootfs: UnpackedRootfs | undefined;
const root = (): string => {
  if (rootfs === undefined) throw new Error('rootfs not unpacked');
  return rootfs.dir;
};

before(async () => {
  rootfs = await unpackRootfs((await debianArm64Rootfs()).tarball.path);
});
after(async () => {
  await rootfs?.remove();
});

test('commands run as arm64 through qemu, with proc mounted and /dev/null usable', async () => {
  const result = await runInChroot(root(), [
    'sh',
    '-c',
    'uname -m; test -r /proc/self/maps && echo proc; echo x > /dev/null && echo devnull; dpkg --print-architecture',
  ]);
  assert.equal(result.exitCode, 0, result.output);
  assert.deepEqual(result.output.trim().split('\n'), ['aarch64', 'proc', 'devnull', 'arm64']);
  assert.deepEqual(await mountsBelow(root()), []);
});

test('exit code, interleaved stdout/stderr, tail, cwd and environment', async () => {
  const lines: string[] = [];
  const result = await runInChroot(
    root(),
    ['sh', '-c', 'pwd; echo "$LC_ALL $KPKG_X"; for i in $(seq 1 40); do echo "line $i"; done; echo oops >&2; exit 3'],
    { cwd: '/tmp', env: { KPKG_X: 'y' }, tailLines: 2, onLine: (l) => lines.push(l) },
  );
  assert.equal(result.exitCode, 3);
  assert.equal(result.timedOut, false);
  assert.match(result.output, /^\/tmp\nC y\nline 1\n/);
  assert.equal(result.tail, 'line 40\noops');
  assert.equal(lines.length, 43);
  assert.deepEqual(await mountsBelow(root()), []);
});

test('a missing command fails with "not found" and leaves no mount behind', async () => {
  const result = await runInChroot(root(), ['no-such-command']);
  assert.notEqual(result.exitCode, 0);
  assert.match(result.tail, /not found/);
  assert.deepEqual(await mountsBelow(root()), []);
});

test('a timeout kills the command and everything it started', async () => {
  const started = performance.now();
  const result = await runInChroot(root(), ['sh', '-c', 'sleep 300 & sleep 301; echo never'], { timeoutMs: 3000 });
  assert.equal(result.timedOut, true);
  assert.equal(result.exitCode, 128 + 9);
  assert.ok(performance.now() - started < 10_000);
  assert.doesNotMatch(result.output, /never/);
  assert.match(result.tail, /timeout/);
  assert.deepEqual(await mountsBelow(root()), []);
  // Neither sleep survives: the PID namespace died with its first process.
  assert.deepEqual(await processesRootedIn(root()), []);
});

test('the command is pid 1 of its own namespace', async () => {
  const result = await runInChroot(root(), ['sh', '-c', 'echo $$']);
  assert.equal(result.output.trim(), '1');
});
