import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configValue, enabledWithPrefix, isEnabled, parseAutoconfHeader, parseKconfig } from './kconfig.js';

const DOT_CONFIG = `#
# Linux/arm64 6.1.192 Kernel Configuration
#
CONFIG_CC_VERSION_TEXT="aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0"
CONFIG_MODULES=y
# CONFIG_MODULE_SIG is not set
CONFIG_CRC_CCITT=m
CONFIG_GCC_PLUGINS=y
CONFIG_GCC_PLUGIN_LATENT_ENTROPY=y
# CONFIG_GCC_PLUGIN_STACKLEAK is not set
CONFIG_ESCAPED="a \\"quoted\\" word"
CONFIG_NR_CPUS=4
`;

test('parses .config values, unquoting strings', () => {
  const c = parseKconfig(DOT_CONFIG);
  assert.equal(configValue(c, 'CC_VERSION_TEXT'), 'aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0');
  assert.equal(configValue(c, 'CONFIG_NR_CPUS'), '4');
  assert.equal(configValue(c, 'ESCAPED'), 'a "quoted" word');
  assert.equal(c.has('CONFIG_MODULE_SIG'), false);
});

test('auto.conf strings are unquoted since 5.x and read the same', () => {
  const c = parseKconfig('CONFIG_CC_VERSION_TEXT=aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0\n');
  assert.equal(configValue(c, 'CC_VERSION_TEXT'), 'aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0');
});

test('isEnabled: y and m are on; not set and absent are off', () => {
  const c = parseKconfig(DOT_CONFIG);
  assert.equal(isEnabled(c, 'MODULES'), true);
  assert.equal(isEnabled(c, 'CRC_CCITT'), true);
  assert.equal(isEnabled(c, 'MODULE_SIG'), false);
  assert.equal(isEnabled(c, 'NOT_THERE'), false);
  assert.equal(isEnabled(c, 'NR_CPUS'), false);
});

test('enabledWithPrefix lists only enabled symbols with the prefix', () => {
  const c = parseKconfig(DOT_CONFIG);
  assert.deepEqual(enabledWithPrefix(c, 'GCC_PLUGIN_'), ['GCC_PLUGIN_LATENT_ENTROPY']);
});

test('parses include/generated/autoconf.h into the same form: y, m, strings, numbers', () => {
  const header = [
    '/* automatically generated */',
    '#define CONFIG_ARM64 1',
    '#define CONFIG_CRC_CCITT_MODULE 1',
    '#define CONFIG_LOCALVERSION "-kpkg"',
    '#define CONFIG_NR_CPUS 4',
    '#define CONFIG_PGTABLE_LEVELS 4 ',
    '#define NOT_A_CONFIG 1',
    '#define CONFIG_NO_VALUE',
    '',
  ].join('\n');
  assert.deepEqual(
    [...parseAutoconfHeader(header)],
    [
      ['CONFIG_ARM64', 'y'],
      ['CONFIG_CRC_CCITT', 'm'],
      ['CONFIG_LOCALVERSION', '-kpkg'],
      ['CONFIG_NR_CPUS', '4'],
      ['CONFIG_PGTABLE_LEVELS', '4'],
    ],
  );
});
