import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostileOutput, installerOutput } from '../../testing/installer-output.js';
import { debInstaller, dpkgScriptNotes } from './deb.js';
import { MAX_DENIED_NOTES } from './script-notes.js';

const DENIED = "linux-headers-denied's postinst was denied";

test("dpkg's output: every denial of a postinst that went on and exited 0, named by the package dpkg set up", () => {
  const notes = dpkgScriptNotes(installerOutput('dpkg-postinst-denied.txt'));
  assert.ok(notes.every((n) => n.kind === 'denied' && n.package === 'linux-headers-denied' && n.script === 'postinst'));
  assert.deepEqual(
    notes.map((n) => n.words),
    [
      '/var/lib/dpkg/info/linux-headers-denied.postinst: 3: cannot create /usr/lib/kpkg-proof: Read-only file system',
      "touch: cannot touch '/usr/share/kpkg-proof': Read-only file system",
      '/var/lib/dpkg/info/linux-headers-denied.postinst: 5: cannot create /proc/sys/kernel/hostname: Permission denied',
      'mknod: /tmp/sda: Operation not permitted',
      'bash: connect: Connection refused',
      'bash: line 1: /dev/tcp/127.0.0.1/80: Connection refused',
      'bash: connect: Network is unreachable',
      'bash: line 1: /dev/tcp/10.1.2.3/80: Network is unreachable',
      'bash: line 1: deb.debian.org: Temporary failure in name resolution',
      'File size limit exceeded',
      'bash: fork: retry: Resource temporarily unavailable',
    ],
    DENIED,
  );
});

test("dpkg's output: a postinst that exits 1 or is killed, a preinst that exits 2, with their last words", () => {
  assert.deepEqual(dpkgScriptNotes(installerOutput('dpkg-postinst-failed.txt')), [
    {
      package: 'linux-headers-failing',
      script: 'postinst',
      kind: 'failed',
      status: 'exit status 1',
      words: 'Configuring the headers / cannot find the compiler',
    },
  ]);
  assert.deepEqual(dpkgScriptNotes(installerOutput('dpkg-postinst-killed.txt')), [
    {
      package: 'linux-headers-killed',
      script: 'postinst',
      kind: 'failed',
      status: 'killed by signal (Killed)',
      words: '',
    },
  ]);
  assert.deepEqual(dpkgScriptNotes(installerOutput('dpkg-preinst-failed.txt')), [
    {
      package: 'linux-headers-preinst',
      script: 'preinst',
      kind: 'failed',
      status: 'exit status 2',
      words: 'checking the machine',
    },
  ]);
});

test('one dpkg -i of three packages: each failure names its own package and script, in the order they failed', () => {
  assert.deepEqual(
    dpkgScriptNotes(installerOutput('dpkg-three-packages.txt')).map((n) => [n.package, n.script, n.status, n.words]),
    [
      ['linux-headers-preinst', 'preinst', 'exit status 2', 'checking the machine'],
      ['linux-headers-failing', 'postinst', 'exit status 1', 'Configuring the headers / cannot find the compiler'],
      ['linux-headers-killed', 'postinst', 'killed by signal (Killed)', ''],
    ],
  );
});

test("dpkg's own lines and what prints while it unpacks are no script's; the installer hands its notes on", () => {
  const unpackDenied = [
    'Unpacking linux-headers (1.0) ...',
    'dpkg: error processing archive /tmp/x.deb (--install):',
    ' unable to clean up mess surrounding ./usr/src before installing another version: Read-only file system',
  ].join('\n');
  assert.deepEqual(dpkgScriptNotes(unpackDenied), []);
  assert.deepEqual(debInstaller.scriptNotes?.(unpackDenied + '\nSetting up x (1) ...\nx: Permission denied'), [
    { package: 'x', script: 'postinst', kind: 'denied', words: 'x: Permission denied' },
  ]);
});

test('a hostile output of a million lines is read in one pass and yields at most the capped notes', () => {
  const output = hostileOutput(1_000_000, 'Setting up linux-headers-hostile (1.0) ...');
  const started = performance.now();
  const notes = dpkgScriptNotes(output);
  assert.ok(performance.now() - started < 10_000, `${performance.now() - started} ms`);
  assert.equal(notes.length, MAX_DENIED_NOTES);
});
