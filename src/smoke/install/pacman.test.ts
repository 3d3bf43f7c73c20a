import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostileOutput, installerOutput } from '../../testing/installer-output.js';
import { pacmanInstaller, pacmanScriptNotes } from './pacman.js';
import { MAX_DENIED_NOTES } from './script-notes.js';

/** The notes as lines, for short assertions. */
function described(output: string): string[] {
  return pacmanScriptNotes(output).map((n) => `${n.package ?? '-'} ${n.script} ${n.kind}: ${n.words}`);
}

test("pacman's output: the install script's denials and failures, named by the package pacman installs", () => {
  assert.deepEqual(described(installerOutput('pacman-install-failed.txt')).slice(0, 1), [
    'linux-headers-failing .INSTALL failed: cannot find the compiler',
  ]);
  assert.deepEqual(described(installerOutput('pacman-pre-install-failed.txt')).slice(0, 2), [
    "linux-headers-preinst .INSTALL denied: touch: cannot touch '/usr/lib/x': Read-only file system",
    "linux-headers-preinst .INSTALL failed: checking the machine / touch: cannot touch '/usr/lib/x': Read-only file system",
  ]);
  assert.deepEqual(described(installerOutput('pacman-install-denied.txt')).slice(0, 4), [
    'linux-headers-denied .INSTALL denied: /bin/sh: 3: cannot create /usr/lib/kpkg-proof: Read-only file system',
    'linux-headers-denied .INSTALL denied: /bin/sh: 4: cannot create /proc/sys/kernel/hostname: Permission denied',
    'linux-headers-denied .INSTALL denied: bash: connect: Network is unreachable',
    'linux-headers-denied .INSTALL denied: bash: line 1: /dev/tcp/10.1.2.3/80: Network is unreachable',
  ]);
});

test("three packages and a hook: each package's script, pacman's own ldconfig and the hook by its description", () => {
  const notes = described(installerOutput('pacman-three-packages-hook.txt'));
  assert.equal(notes[0], 'linux-headers-failing .INSTALL failed: cannot find the compiler');
  assert.equal(notes.filter((n) => n.startsWith('linux-headers-denied .INSTALL denied')).length, 4);
  assert.ok(!notes.some((n) => n.startsWith('linux-headers-hooked')), 'its post_install said nothing denied');
  assert.ok(
    notes.includes(
      "- pacman's ldconfig failed: ldconfig: Can't create temporary cache file /etc/ld.so.cache~: Read-only file system",
    ),
  );
  assert.deepEqual(notes.slice(-2), [
    '- hook "Building the modules of the headers..." denied: /bin/sh: 1: cannot create /usr/lib/kpkg-hook: Read-only file system',
    '- hook "Building the modules of the headers..." failed: building / /bin/sh: 1: cannot create /usr/lib/kpkg-hook: Read-only file system',
  ]);
});

test('a pacman that cannot enter the root to run the script: the script is named as denied and failed', () => {
  assert.deepEqual(described(installerOutput('pacman-no-chroot.txt')).slice(0, 2), [
    'linux-headers-failing .INSTALL denied: could not change the root directory (Operation not permitted)',
    'linux-headers-failing .INSTALL failed: could not change the root directory (Operation not permitted)',
  ]);
  const output = installerOutput('pacman-no-chroot.txt');
  assert.deepEqual(pacmanInstaller.scriptNotes?.(output), pacmanScriptNotes(output));
});

test('a hostile output of a million lines is read in one pass and yields at most the capped notes', () => {
  const started = performance.now();
  const notes = pacmanScriptNotes(hostileOutput(1_000_000, 'installing linux-headers-hostile...'));
  assert.ok(performance.now() - started < 10_000, `${performance.now() - started} ms`);
  assert.equal(notes.length, MAX_DENIED_NOTES);
});
