import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arm64GccToolchain, fakeKernelTree } from '../../testing/fake-tree.js';
import { plannedFinish } from './module-finish.js';

const STRIP = 'aarch64-linux-gnu-strip';

function ctx(config: Record<string, string> = {}): Parameters<typeof plannedFinish>[0] {
  return {
    tree: fakeKernelTree('/k/obj', {
      srctree: '/k/src',
      separateObjtree: true,
      config: new Map(Object.entries({ CONFIG_MODULES: 'y', ...config })),
    }),
    toolchain: arm64GccToolchain(),
  };
}

test("INSTALL_MOD_STRIP as make reads it: '1' is --strip-debug, other words are strip's options, leading blanks dropped", async () => {
  assert.deepEqual((await plannedFinish(ctx(), '1'))?.strip, [STRIP, '--strip-debug']);
  assert.deepEqual((await plannedFinish(ctx(), ' 1'))?.strip, [STRIP, '--strip-debug']);
  assert.deepEqual((await plannedFinish(ctx(), '-g -x'))?.strip, [STRIP, '-g', '-x']);
  // make's ifeq sees '1 ' as other words: strip is given '1' as an option, and fails as make's does.
  assert.deepEqual((await plannedFinish(ctx(), '1 '))?.strip, [STRIP, '1']);
  for (const none of ['', ' ']) assert.equal((await plannedFinish(ctx(), none))?.strip, undefined, `'${none}'`);
});

test("the kernel's make does it all for strip options that are more than words, and for compressed modules", async () => {
  assert.equal(await plannedFinish(ctx(), '-g; touch /tmp/x'), undefined);
  assert.equal(await plannedFinish(ctx(), '$(STRIP_OPTS)'), undefined);
  assert.equal(await plannedFinish(ctx({ CONFIG_MODULE_COMPRESS_XZ: 'y' }), '1'), undefined);
  assert.equal(
    await plannedFinish(ctx({ CONFIG_MODULE_COMPRESS: 'y', CONFIG_MODULE_COMPRESS_GZIP: 'y' }), '1'),
    undefined,
  );
  assert.equal(await plannedFinish(ctx({ CONFIG_MODULES: 'n' }), '1'), undefined);
});

test('with CONFIG_MODULE_SIG_ALL each module is signed with scripts/sign-file, the hash, the key and the certificate', async () => {
  assert.equal((await plannedFinish(ctx(), '1'))?.sign, undefined);
  const finish = await plannedFinish(
    ctx({ CONFIG_MODULE_SIG_ALL: 'y', CONFIG_MODULE_SIG_HASH: 'sha512', CONFIG_MODULE_SIG_KEY: 'pkcs11:token=k' }),
    '1',
  );
  assert.deepEqual(finish?.sign, [
    '/k/obj/scripts/sign-file',
    'sha512',
    'pkcs11:token=k',
    '/k/obj/certs/signing_key.x509',
  ]);
  assert.deepEqual(finish?.signInputs, ['/k/obj/certs/signing_key.x509', '/k/obj/scripts/sign-file']);
});
