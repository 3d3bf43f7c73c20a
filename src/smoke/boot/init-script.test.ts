import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { initScript, marker, type InitModule } from './init-script.js';

const MODULES: InitModule[] = [
  { name: 'crc_ccitt', load: { with: 'modprobe' } },
  { name: 'libcrc32c', load: { with: 'modprobe' } },
  { name: 'kpkg_hello', load: { with: 'insmod', path: '/kpkg/0-kpkg_hello.ko' } },
];

/** `sh -n`: the shell parses the script without running it. */
function shellSyntax(script: string): { status: number | null; stderr: string } {
  const result = spawnSync('sh', ['-n'], { input: script, encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

test('the script is a busybox sh script that mounts proc before busybox --install', () => {
  const script = initScript({ nonce: 'abc123', modules: MODULES, unload: true });
  assert.ok(script.startsWith('#!/bin/busybox sh\n'));
  const lines = script.split('\n');
  const mountProc = lines.indexOf('/bin/busybox mount -t proc proc /proc');
  const install = lines.indexOf('/bin/busybox --install -s');
  assert.ok(mountProc > 0, 'proc is mounted');
  assert.ok(install > mountProc, 'busybox --install comes after proc is mounted');
  // Nothing before --install calls an applet by its bare name.
  for (const line of lines.slice(1, install)) assert.match(line, /^(#|\/bin\/busybox )/, `before --install: ${line}`);
  assert.ok(lines.includes('M=kpkg-boot-abc123'));
  assert.ok(script.endsWith('say done\nsync\nreboot -f\n'));
});

test('the script parses (sh -n), with and without modules and unloads', () => {
  for (const input of [
    { nonce: 'abc123', modules: MODULES, unload: true },
    { nonce: 'abc123', modules: MODULES, unload: false },
    { nonce: 'Z9', modules: [], unload: true },
  ]) {
    assert.deepEqual(shellSyntax(initScript(input)), { status: 0, stderr: '' });
  }
  // The check can fail: a script with an unclosed quote does not parse.
  assert.notEqual(shellSyntax('echo "unclosed\n').status, 0);
});

test('the marker takes a nonce of letters and digits only', () => {
  assert.equal(marker('0a1B2c'), 'kpkg-boot-0a1B2c');
  for (const bad of ['', 'ab cd', 'ab;cd', 'ab-cd', 'ab$cd', 'ab\ncd', '../x'])
    assert.throws(() => marker(bad), /is not alphanumeric/, JSON.stringify(bad));
  assert.throws(() => initScript({ nonce: 'x y', modules: [], unload: false }), /is not alphanumeric/);
});

test('a module name or path that is not a plain word does not get into the script', () => {
  const bad: InitModule[] = [
    { name: 'crc ccitt', load: { with: 'modprobe' } },
    { name: 'crc;reboot', load: { with: 'modprobe' } },
    { name: 'x$(reboot)', load: { with: 'modprobe' } },
    { name: 'kpkg_hello', load: { with: 'insmod', path: '/kpkg/0 kpkg_hello.ko' } },
    { name: 'kpkg_hello', load: { with: 'insmod', path: '/kpkg/0-kpkg_hello.ko;reboot' } },
    { name: 'kpkg hello', load: { with: 'insmod', path: '/kpkg/0-kpkg_hello.ko' } },
    { name: 'kpkg_hello', load: { with: 'insmod', path: '/kpkg/`reboot`.ko' } },
  ];
  for (const module of bad) {
    assert.throws(
      () => initScript({ nonce: 'abc123', modules: [module], unload: false }),
      /cannot go into the boot init/,
      JSON.stringify(module),
    );
  }
});

test('modprobe for the image modules; modinfo depends, then insmod for a built one', () => {
  const script = initScript({ nonce: 'abc123', modules: MODULES, unload: false });
  const lines = script.split('\n');
  const crc = lines.indexOf('run modprobe crc_ccitt modprobe crc_ccitt');
  const lib = lines.indexOf('run modprobe libcrc32c modprobe libcrc32c');
  const deps = lines.indexOf(
    'for dep in $(modinfo -F depends /kpkg/0-kpkg_hello.ko | tr , \' \'); do modprobe "$dep"; done',
  );
  const insmod = lines.indexOf('run insmod kpkg_hello insmod /kpkg/0-kpkg_hello.ko');
  assert.ok(crc > 0 && lib > crc && deps > lib && insmod === deps + 1, script);
  assert.ok(insmod < lines.indexOf('sed "s/^/$M proc /" /proc/modules'));
});

test('unload lines come in reverse load order before done, and not at all with unload false', () => {
  const withUnload = initScript({ nonce: 'abc123', modules: MODULES, unload: true }).split('\n');
  const rmmods = withUnload.filter((l) => l.includes('rmmod'));
  assert.deepEqual(rmmods, [
    'run rmmod kpkg_hello rmmod kpkg_hello',
    'run rmmod libcrc32c rmmod libcrc32c',
    'run rmmod crc_ccitt rmmod crc_ccitt',
  ]);
  const taint = withUnload.indexOf('say taint "$(cat /proc/sys/kernel/tainted)"');
  assert.ok(withUnload.indexOf(rmmods[0] ?? '') > taint);
  assert.ok(withUnload.indexOf('say done') > withUnload.indexOf(rmmods[2] ?? ''));
  const without = initScript({ nonce: 'abc123', modules: MODULES, unload: false });
  assert.doesNotMatch(without, /rmmod/);
});
