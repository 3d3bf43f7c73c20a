/**
 * Commands in the real arm64 rootfs, in the sandbox: what runs, and what cannot get out. Each
 * hostile command is one a maintainer script could run; each check fails on the chroot smoke used
 * before (a root chroot sharing the host's network, /proc/sys and file systems).
 */
import assert from 'node:assert/strict';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { after, before, test } from 'node:test';
import { mountsBelow } from '../mounts.js';
import { unpackRootfs, type UnpackedRootfs } from '../rootfs.js';
import { countingListener, perlConnect } from '../../testing/loopback-listener.js';
import { debianArm64Rootfs } from '../../testing/smoke-fixtures.js';
import { targetRootOwner } from './ids.js';
import { runInSandbox, type SandboxRunOptions, type SandboxRunResult } from './run.js';
import { openSandbox, type Sandbox } from './sandbox.js';

/** Host processes whose command line is `argv`. */
async function processesRunning(argv: readonly string[]): Promise<string[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const wanted = `${argv.join('\0')}\0`;
  const found: string[] = [];
  for (const pid of pids)
    if ((await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')) === wanted) found.push(pid);
  return found;
}

let sandbox: Sandbox | undefined;
let rootfs: UnpackedRootfs | undefined;
const root = (): string => rootfs?.dir ?? assert.fail('rootfs not unpacked');
const run = (argv: readonly string[], options?: SandboxRunOptions): Promise<SandboxRunResult> =>
  runInSandbox(sandbox ?? assert.fail('no sandbox'), root(), argv, options);

before(async () => {
  sandbox = await openSandbox();
  rootfs = await unpackRootfs(sandbox, (await debianArm64Rootfs()).tarball.path);
});
after(async () => {
  await rootfs?.remove();
});

test('commands run as arm64 through qemu, with proc mounted and /dev/null usable', async () => {
  const result = await run([
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
  const result = await run(
    ['sh', '-c', 'pwd; echo "$LC_ALL $KPKG_X"; for i in $(seq 1 40); do echo "line $i"; done; echo oops >&2; exit 3'],
    { cwd: '/tmp', env: { KPKG_X: 'y' }, tailLines: 2, onLine: (l) => lines.push(l) },
  );
  assert.equal(result.exitCode, 3);
  assert.equal(result.timedOut, false);
  assert.match(result.output, /^\/tmp\nC y\nline 1\n/);
  assert.equal(result.tail, 'line 40\noops');
  assert.equal(lines.length, 43);
});

test('a missing command fails with "not found"', async () => {
  const result = await run(['no-such-command']);
  assert.notEqual(result.exitCode, 0);
  assert.match(result.tail, /No such file or directory|not found/);
});

test('root in the target: every id dpkg needs, files owned by target ids outside', async () => {
  const result = await run([
    'sh',
    '-c',
    'id -u; touch /etc/kpkg-x && chown 42:42 /etc/kpkg-x && stat -c %u:%g /etc/kpkg-x',
  ]);
  assert.equal(result.exitCode, 0, result.output);
  assert.deepEqual(result.output.trim().split('\n'), ['0', '42:42']);
  const outside = await stat(`${root()}/etc/kpkg-x`);
  assert.notEqual(outside.uid, 42, 'target id 42 is not id 42 of this machine');
  assert.notEqual(outside.uid, 0);
  const owner = targetRootOwner(sandbox?.ids ?? assert.fail());
  const created = await run(['touch', '/etc/kpkg-y']);
  assert.equal(created.exitCode, 0);
  assert.equal((await stat(`${root()}/etc/kpkg-y`)).uid, owner.uid);
});

test("the classic chroot escape ends in the rootfs: the host's / is not in the sandbox at all", async () => {
  const marker = `kpkg-escape-${process.pid}`;
  const script = `mkdir "/x"; chroot "/x" or die "chroot: $!"; chdir ".." for 1..64; chroot "."; open F, ">/tmp/${marker}" or die "open: $!"; print F "out"; close F;`;
  const result = await run(['perl', '-e', script]);
  assert.equal(result.exitCode, 0, result.output);
  await assert.rejects(stat(`/tmp/${marker}`), 'the file is not on the build machine');
  assert.equal((await stat(`${root()}/tmp/${marker}`)).isFile(), true, 'it landed inside the rootfs');
  await rm(`/tmp/${marker}`, { force: true });
});

test('no network: a listener on the build machine is not reachable', async () => {
  const listener = await countingListener();
  try {
    const result = await run(['perl', '-MIO::Socket::INET', '-e', perlConnect(listener.port)]);
    assert.notEqual(result.exitCode, 0, result.output);
    assert.match(result.output, /connect: Connection refused/);
    assert.equal(listener.connections(), 0);
  } finally {
    listener.close();
  }
});

test("the host kernel's settings are read-only; the hostname is the sandbox's own", async () => {
  const before = await readFile('/proc/sys/kernel/hostname', 'utf8');
  const result = await run([
    'sh',
    '-c',
    'echo 1 > /proc/sys/vm/drop_caches; echo pwned > /proc/sys/kernel/hostname; hostname pwned2; hostname',
  ]);
  assert.match(result.output, /drop_caches: (Read-only file system|Permission denied)/);
  assert.match(result.output, /hostname: (Read-only file system|Permission denied)/);
  assert.equal(await readFile('/proc/sys/kernel/hostname', 'utf8'), before);
  assert.equal(hostname(), before.trim());
});

test('no new privileges, no capabilities outside the sandbox: loading a module is refused', async () => {
  const result = await run([
    'sh',
    '-c',
    'grep -E "^NoNewPrivs" /proc/self/status; modprobe -q dummy; echo "modprobe $?"',
  ]);
  assert.match(result.output, /NoNewPrivs:\s+1/);
  assert.doesNotMatch(result.output, /modprobe 0/);
});

test('a timeout kills the command and everything it started', async () => {
  const started = performance.now();
  const quick: Sandbox = {
    ...(sandbox ?? assert.fail()),
    limits: { ...(sandbox ?? assert.fail()).limits, timeMs: 3000 },
  };
  const result = await runInSandbox(quick, root(), ['sh', '-c', 'sleep 300 & sleep 301; echo never']);
  assert.equal(result.timedOut, true);
  assert.equal(result.exitCode, 128 + 9);
  assert.ok(performance.now() - started < 10_000);
  assert.doesNotMatch(result.output, /never/);
  assert.match(result.tail, /kpkg: killed: the command ran 3 s, its time limit/);
  assert.equal(result.limit?.limit, 'time');
  // Neither sleep survives: the PID namespace died with bwrap.
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.deepEqual(await processesRunning(['sleep', '300']), []);
  assert.deepEqual(await processesRunning(['sleep', '301']), []);
});

test('the command runs in its own PID namespace', async () => {
  const result = await run(['sh', '-c', 'echo $$']);
  assert.ok(Number(result.output.trim()) <= 3, result.output);
});

test("a command that prints without end is kept to its output's start and end", async () => {
  const result = await run(['sh', '-c', 'echo first; head -c 40000000 /dev/zero | tr "\\0" x; echo; echo last']);
  assert.equal(result.exitCode, 0, result.tail);
  assert.ok(result.output.length < 17 * 1024 * 1024, `${result.output.length} characters kept`);
  assert.match(result.output, /^first\n/);
  assert.match(result.output, /\[kpkg: \d+ characters of output left out\]/);
  assert.match(result.tail, /last$/);
});
