import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loggedTarget, type SmokeTarget, type TargetRunResult } from './target.js';

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
  };
  const log: string[] = [];
  const logged = loggedTarget(target, (...lines) => log.push(...lines));
  assert.equal(logged.root, '/rootfs');
  assert.equal(await logged.run(['make', '-C', '/b', 'modules']), answer);
  assert.deepEqual(ran, [['make', '-C', '/b', 'modules']]);
  assert.deepEqual(log, ['$ make -C /b modules', 'make: *** [modules] Error 2', '[exit 2]']);
});
