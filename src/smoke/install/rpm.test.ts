import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostileOutput, installerOutput } from '../../testing/installer-output.js';
import { rpmInstaller, rpmScriptNotes } from './rpm.js';
import { MAX_DENIED_NOTES } from './script-notes.js';

test('rpm -i -v: the denials of a scriptlet go to the package rpm announced last', () => {
  const notes = rpmScriptNotes(installerOutput('rpm-post-denied.txt'));
  assert.deepEqual(
    notes.map((n) => [n.package, n.script, n.kind, n.words.replace(/rpm-tmp\.\w+/, 'rpm-tmp')]),
    [
      [
        'kernel-devel-denied-1.0-1.noarch',
        'scriptlet',
        'denied',
        '/var/tmp/rpm-tmp: 2: cannot create /usr/lib/kpkg-proof: Read-only file system',
      ],
      [
        'kernel-devel-denied-1.0-1.noarch',
        'scriptlet',
        'denied',
        '/var/tmp/rpm-tmp: 3: cannot create /proc/sys/kernel/hostname: Permission denied',
      ],
      ['kernel-devel-denied-1.0-1.noarch', 'scriptlet', 'denied', 'bash: connect: Network is unreachable'],
      [
        'kernel-devel-denied-1.0-1.noarch',
        'scriptlet',
        'denied',
        'bash: line 1: /dev/tcp/10.1.2.3/80: Network is unreachable',
      ],
    ],
  );
});

test('rpm names the scriptlet that failed: a %post (only a warning, rpm exits 0) and a %prein', () => {
  assert.deepEqual(rpmScriptNotes(installerOutput('rpm-post-failed.txt')), [
    {
      package: 'kernel-devel-failing-1.0-1.noarch',
      script: '%post',
      kind: 'failed',
      status: 'exit status 1',
      words: 'cannot find the compiler',
    },
  ]);
  assert.deepEqual(rpmScriptNotes(installerOutput('rpm-prein-failed.txt')), [
    {
      package: 'kernel-devel-prefail-1.0-1.noarch',
      script: '%prein',
      kind: 'failed',
      status: 'exit status 3',
      words: 'checking the machine',
    },
  ]);
});

test('one rpm -i of four packages: each failed scriptlet by its name, a %posttrans too', () => {
  const notes = rpmScriptNotes(installerOutput('rpm-four-packages.txt'));
  assert.deepEqual(
    notes.filter((n) => n.kind === 'failed').map((n) => [n.package, n.script, n.status]),
    [
      ['kernel-devel-failing-1.0-1.noarch', '%post', 'exit status 1'],
      ['kernel-devel-prefail-1.0-1.noarch', '%prein', 'exit status 3'],
      ['kernel-devel-posttrans-1.0-1.noarch', '%posttrans', 'exit status 4'],
    ],
  );
  assert.equal(notes.filter((n) => n.kind === 'denied').length, 5);
});

test('the rpm installer hands its notes on', () => {
  const output = installerOutput('rpm-post-failed.txt');
  assert.deepEqual(rpmInstaller.scriptNotes?.(output), rpmScriptNotes(output));
});

test('a hostile output of a million lines is read in one pass and yields at most the capped notes', () => {
  const started = performance.now();
  const notes = rpmScriptNotes(hostileOutput(1_000_000, 'kernel-devel-6.12.95-1.x86_64'));
  assert.ok(performance.now() - started < 10_000, `${performance.now() - started} ms`);
  assert.equal(notes.length, MAX_DENIED_NOTES);
});
