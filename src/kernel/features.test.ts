import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packagingFeatures } from './features.js';
import { parseKconfig } from './kconfig.js';

const features = (config: Record<string, string>): ReturnType<typeof packagingFeatures> =>
  packagingFeatures(new Map(Object.entries(config)));

test('module signing: whether, all modules or not, the hash and the key as configured', () => {
  assert.deepEqual(features({}).moduleSig, { enabled: false, all: false, hash: undefined, key: undefined });
  const config = parseKconfig(
    'CONFIG_MODULE_SIG=y\nCONFIG_MODULE_SIG_ALL=y\nCONFIG_MODULE_SIG_HASH="sha512"\nCONFIG_MODULE_SIG_KEY="certs/k.pem"\n',
  );
  assert.deepEqual(packagingFeatures(config).moduleSig, {
    enabled: true,
    all: true,
    hash: 'sha512',
    key: 'certs/k.pem',
  });
});

test('objtool from CONFIG_OBJTOOL, or from CONFIG_STACK_VALIDATION before 5.19', () => {
  assert.equal(features({ CONFIG_OBJTOOL: 'y' }).objtool, true);
  assert.equal(features({ CONFIG_STACK_VALIDATION: 'y' }).objtool, true);
  assert.equal(features({ CONFIG_UNWINDER_ORC: 'y' }).objtool, false);
});

test('GCC plugins only when CONFIG_GCC_PLUGINS is on; randstruct from either generation of its symbols', () => {
  assert.deepEqual(features({ CONFIG_GCC_PLUGIN_LATENT_ENTROPY: 'y' }).gccPlugins, []);
  assert.deepEqual(
    features({
      CONFIG_GCC_PLUGINS: 'y',
      CONFIG_GCC_PLUGIN_LATENT_ENTROPY: 'y',
      CONFIG_GCC_PLUGIN_STACKLEAK: 'y',
    }).gccPlugins.sort(),
    ['LATENT_ENTROPY', 'STACKLEAK'],
  );
  assert.equal(features({}).randstruct, false);
  assert.equal(features({ CONFIG_RANDSTRUCT_FULL: 'y' }).randstruct, 'full');
  assert.equal(features({ CONFIG_GCC_PLUGIN_RANDSTRUCT: 'y' }).randstruct, 'full');
  assert.equal(features({ CONFIG_RANDSTRUCT_PERFORMANCE: 'y' }).randstruct, 'performance');
  assert.equal(
    features({ CONFIG_GCC_PLUGIN_RANDSTRUCT: 'y', CONFIG_GCC_PLUGIN_RANDSTRUCT_PERFORMANCE: 'y' }).randstruct,
    'performance',
  );
});

test('modules, symbol versions and BTF for modules as their symbols say', () => {
  const f = features({
    CONFIG_MODULES: 'y',
    CONFIG_MODVERSIONS: 'y',
    CONFIG_DEBUG_INFO: 'y',
    CONFIG_DEBUG_INFO_BTF_MODULES: 'y',
    CONFIG_GENDWARFKSYMS: 'y',
  });
  assert.deepEqual(
    [f.modules, f.modversions, f.debugInfo, f.debugInfoBtfModules, f.gendwarfksyms],
    [true, true, true, true, true],
  );
  const m = features({ CONFIG_MODULES: 'm', CONFIG_MODVERSIONS: 'n' });
  assert.deepEqual([m.modules, m.modversions, m.debugInfo], [true, false, false], "'m' is on, 'n' and unset are off");
});
