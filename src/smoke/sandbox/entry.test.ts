import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asTargetRootArgv, bwrapArgs, sandboxArgv } from './entry.js';
import { DEFAULT_LIMITS } from './limits.js';
import type { Sandbox } from './sandbox.js';

const PROGRAMS = {
  unshare: '/usr/bin/unshare',
  prlimit: '/usr/bin/prlimit',
  bwrap: '/usr/bin/bwrap',
  tar: '/usr/bin/tar',
  rm: '/usr/bin/rm',
  true: '/usr/bin/true',
};
const AS_ROOT: Sandbox = {
  ids: { user: { name: 'root', uid: 0, gid: 0 }, subordinate: { uid: 1_000_000, gid: 1_100_000 } },
  limits: DEFAULT_LIMITS,
  programs: PROGRAMS,
};
const COMMAND = { root: '/tmp/r', cwd: '/tmp', env: { PATH: '/bin', HOME: '/root' }, argv: ['make', '--', '-x'] };

test('the rootfs becomes / with pivot_root, in new PID, network, IPC, UTS and cgroup namespaces; the command after --', () => {
  const args = bwrapArgs(COMMAND);
  assert.deepEqual(args.slice(0, 3), ['--bind', '/tmp/r', '/']);
  for (const flag of ['--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try'])
    assert.ok(args.includes(flag), flag);
  assert.ok(args.includes('--die-with-parent') && args.includes('--new-session') && args.includes('--clearenv'));
  assert.deepEqual(args.slice(args.indexOf('--proc'), args.indexOf('--proc') + 2), ['--proc', '/proc']);
  // The environment sorted, nothing of kpkg's own; the command's own '--' is an argument, not bwrap's.
  assert.deepEqual(args.slice(args.indexOf('--setenv'), args.indexOf('--setenv') + 6), [
    '--setenv',
    'HOME',
    '/root',
    '--setenv',
    'PATH',
    '/bin',
  ]);
  assert.deepEqual(args.slice(args.indexOf('--') + 1), ['make', '--', '-x']);
});

test('as root: target ids 0–65535 are the subordinate ids; programs by their real paths, rlimits before bwrap', () => {
  const { file, args } = sandboxArgv(AS_ROOT, COMMAND);
  assert.equal(file, '/usr/bin/unshare');
  assert.deepEqual(args.slice(0, 7), [
    '--map-users=1000000,0,65536',
    '--map-groups=1100000,0,65536',
    '--setuid',
    '0',
    '--setgid',
    '0',
    '--',
  ]);
  assert.deepEqual(args.slice(7, 12), [
    '/usr/bin/prlimit',
    '--nproc=1024',
    `--fsize=${8 * 1024 ** 3}`,
    '--core=0',
    '--',
  ]);
  assert.equal(args[12], '/usr/bin/bwrap');
});

test("as an ordinary user: target root is the user, the rest the user's subordinate ids", () => {
  const asUser: Sandbox = { ...AS_ROOT, ids: { user: { name: 'u', uid: 1000, gid: 1000 }, subordinate: undefined } };
  assert.deepEqual(sandboxArgv(asUser, COMMAND).args.slice(0, 3), ['--map-auto', '--map-root-user', '--']);
  assert.deepEqual(asTargetRootArgv(asUser.ids, PROGRAMS, [PROGRAMS.rm, '-rf', '/tmp/r']), {
    file: '/usr/bin/unshare',
    args: ['--map-auto', '--map-root-user', '--', '/usr/bin/rm', '-rf', '/tmp/r'],
  });
});
