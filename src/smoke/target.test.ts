import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostTarArgs, loggedTarget, unpackInTargetArgv, type SmokeTarget, type TargetRunResult } from './target.js';

test('a logged target writes each command, its output and its exit code, and returns the result as it came', async () => {
  const answer: TargetRunResult = {
    exitCode: 2,
    timedOut: false,
    output: 'make: *** [modules] Error 2\n\n',
    tail: 'make: *** [modules] Error 2',
  };
  const ran: (readonly string[])[] = [];
  const target: SmokeTarget = {
    root: '/rootfs',
    run: (argv) => {
      ran.push(argv);
      return Promise.resolve(answer);
    },
    put: () => assert.fail('no copy in this test'),
  };
  const log: string[] = [];
  const logged = loggedTarget(target, (...lines) => log.push(...lines));
  assert.equal(logged.root, '/rootfs');
  assert.equal(await logged.run(['make', '-C', '/b', 'modules']), answer);
  assert.deepEqual(ran, [['make', '-C', '/b', 'modules']]);
  assert.deepEqual(log, ['$ make -C /b modules', 'make: *** [modules] Error 2', '[exit 2]']);
});

test("the host's tar writes what put copies, owned by root, each file under its own name", () => {
  assert.deepEqual(hostTarArgs({ files: ['/out/a.deb', '/tmp/x/b.deb'] }), [
    '--create',
    '--file=-',
    '--dereference',
    '--numeric-owner',
    '--owner=0',
    '--group=0',
    '-C',
    '/out',
    'a.deb',
    '-C',
    '/tmp/x',
    'b.deb',
  ]);
  assert.deepEqual(hostTarArgs({ contentsOf: '/src/mod' }).slice(-3), ['-C', '/src/mod', '.']);
  // Unpacked by the target's own sh and tar, inside the sandbox; the directory is an argument, never code.
  assert.deepEqual(unpackInTargetArgv('/tmp/$(x)').slice(0, 2), ['sh', '-c']);
  assert.equal(unpackInTargetArgv('/tmp/$(x)').at(-1), '/tmp/$(x)');
});
