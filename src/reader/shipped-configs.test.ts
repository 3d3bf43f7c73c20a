import assert from 'node:assert/strict';
import { test } from 'node:test';
import { debPackage, textMember } from '../testing/members.js';
import { isKernelConfigPath, shippedConfigs } from './shipped-configs.js';

test('the kernel configurations verify keeps texts of', () => {
  for (const path of [
    '/usr/src/h/include/config/auto.conf',
    '/usr/src/h/.config',
    '/usr/src/h/include/generated/autoconf.h',
    '/boot/config-6.1.0-1-arm64',
    '/usr/boot/config-6.1',
  ])
    assert.equal(isKernelConfigPath(path), true, path);
  for (const path of ['/usr/src/h/include/config/auto.conf.cmd', '/boot/sub/config-6.1', '/usr/src/h/Makefile'])
    assert.equal(isKernelConfigPath(path), false, path);
});

test('one configuration per tree, the most authoritative kind first, sorted by path', () => {
  const configs = shippedConfigs([
    debPackage('image', [textMember('/boot/config-6.1', 'CONFIG_X86=y\nCONFIG_X86_64=y\nCONFIG_64BIT=y\n')]),
    debPackage('headers', [
      textMember(
        '/usr/src/h/include/generated/autoconf.h',
        '#define CONFIG_X86 1\n#define CONFIG_X86_64 1\n#define CONFIG_64BIT 1\n',
      ),
      textMember('/usr/src/h/.config', '# not the one the build used\nCONFIG_ARM64=y\n'),
      textMember('/usr/src/h/include/config/auto.conf', 'CONFIG_ARM64=y\n'),
      textMember('/usr/src/other/.config', 'CONFIG_FOO=y\n'),
    ]),
  ]);
  assert.deepEqual(
    configs.map((c) => [c.path, c.package, c.arches.map((a) => a.debian)]),
    [
      ['/boot/config-6.1', 'image', ['amd64']],
      ['/usr/src/h/include/config/auto.conf', 'headers', ['arm64']],
    ],
  );
});

test('autoconf.h alone is read as a configuration', () => {
  const configs = shippedConfigs([
    debPackage('h', [textMember('/usr/src/h/include/generated/autoconf.h', '#define CONFIG_ARM64 1\n')]),
  ]);
  assert.deepEqual(
    configs.map((c) => c.arches.map((a) => a.debian)),
    [['arm64']],
  );
});
