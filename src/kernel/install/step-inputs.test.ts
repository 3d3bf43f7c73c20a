import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { arm64GccToolchain, fakeKernelTree } from '../../testing/fake-tree.js';
import { bootFilesInputs, moduleFinishInputs, modulesInstallInputs, uapiInstallInputs } from './step-inputs.js';

const SRC = '/k/src';
const OBJ = '/k/obj';

function ctx(config: Record<string, string> = {}): Parameters<typeof modulesInstallInputs>[0] {
  return {
    tree: fakeKernelTree(OBJ, { srctree: SRC, separateObjtree: true, config: new Map(Object.entries(config)) }),
    toolchain: arm64GccToolchain(),
  };
}

test('modules_install counts the make arguments, the strip setting, the modules and what depmod and signing read', () => {
  const inputs = modulesInstallInputs(ctx(), ['fs/a.ko', 'net/b.ko'], '1');
  assert.deepEqual(inputs.words, [
    'modules-install 2',
    '-s',
    '-C',
    SRC,
    `O=${OBJ}`,
    'ARCH=arm64',
    'CROSS_COMPILE=aarch64-linux-gnu-',
    'INSTALL_MOD_STRIP=1',
  ]);
  for (const file of ['.config', 'modules.order', 'System.map', 'scripts/sign-file', 'fs/a.ko', 'net/b.ko'])
    assert.ok(inputs.files?.includes(join(OBJ, file)), file);
  assert.ok(!inputs.files?.includes(join(OBJ, 'Makefile')), "every make writes the object tree's Makefile again");
  assert.ok(inputs.files?.includes(join(SRC, 'Makefile')));
  assert.ok(!inputs.files?.some((f) => f.endsWith('signing_key.pem')), 'no key without CONFIG_MODULE_SIG_ALL');
  assert.ok(!inputs.trees?.some((t) => t.includes('dts')), 'the device trees are another step');
  assert.ok(inputs.programs?.includes('aarch64-linux-gnu-strip'));
  assert.notDeepEqual(modulesInstallInputs(ctx(), [], '').words, modulesInstallInputs(ctx(), [], '1').words);
});

test('dtbs_install and image_name count the built device trees and the dts Makefiles, not the modules', () => {
  const inputs = bootFilesInputs(ctx());
  assert.ok(inputs.trees?.includes(join(OBJ, 'arch/arm64/boot/dts')));
  assert.deepEqual(inputs.named, [{ dir: join(SRC, 'arch/arm64/boot/dts'), names: ['Makefile'] }]);
  assert.ok(!inputs.files?.some((f) => f.endsWith('.ko') || f.endsWith('modules.order')));
});

test('a finished module counts the module as built, the strip command and what its signature is made with', () => {
  const finish = {
    strip: ['aarch64-linux-gnu-strip', '--strip-debug'],
    stripSetting: '1',
    sign: ['/k/obj/scripts/sign-file', 'sha256', '/k/obj/certs/signing_key.pem', '/k/obj/certs/signing_key.x509'],
    signInputs: ['/k/obj/certs/signing_key.pem', '/k/obj/certs/signing_key.x509', '/k/obj/scripts/sign-file'],
  };
  const inputs = moduleFinishInputs('/k/obj/fs/a.ko', finish);
  assert.deepEqual(inputs.files, ['/k/obj/fs/a.ko', ...finish.signInputs]);
  assert.deepEqual(inputs.programs, ['aarch64-linux-gnu-strip']);
  assert.notDeepEqual(inputs.words, moduleFinishInputs('/k/obj/fs/a.ko', { ...finish, sign: undefined }).words);
  assert.notDeepEqual(
    inputs.words,
    moduleFinishInputs('/k/obj/fs/a.ko', { ...finish, strip: ['aarch64-linux-gnu-strip', '-g'] }).words,
  );
});

test('with CONFIG_MODULE_SIG_ALL the signing key counts, wherever it is; a PKCS#11 URI is no file', () => {
  const key = (value: string | undefined): string[] =>
    (
      modulesInstallInputs(
        ctx({ CONFIG_MODULE_SIG_ALL: 'y', ...(value === undefined ? {} : { CONFIG_MODULE_SIG_KEY: value }) }),
        [],
        '1',
      ).files ?? []
    ).filter((f) => f.includes('key') && !f.endsWith('.x509'));
  assert.deepEqual(key(undefined), [join(OBJ, 'certs/signing_key.pem'), join(SRC, 'certs/signing_key.pem')]);
  assert.ok(key('/etc/keys/k.pem').includes('/etc/keys/k.pem'), 'an absolute key path as it is');
  assert.deepEqual(key('pkcs11:token=kernel'), []);
});

test('headers_install reads only the source tree, through a scratch object tree', () => {
  const inputs = uapiInstallInputs(ctx());
  assert.ok(inputs.words.includes('O=<scratch>'));
  assert.deepEqual(inputs.files, [join(SRC, 'Makefile')]);
  assert.ok(inputs.trees?.every((t) => t.startsWith(`${SRC}/`)));
  assert.ok(inputs.trees?.includes(join(SRC, 'arch/arm64/include')));
  assert.ok(!inputs.trees?.some((t) => t.includes('boot')));
});
