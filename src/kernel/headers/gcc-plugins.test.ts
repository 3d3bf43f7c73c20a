import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isKpkgError } from '../../util/errors.js';
import {
  assertTargetCompiler,
  debianCompilerVersion,
  describeCompiler,
  parsePluginCompiler,
  parsePluginCompilerRecord,
  pluginCompilerRecord,
} from './gcc-plugins.js';

// As Debian's gcc-12-plugin-dev 12.2.0-14+deb12u1 (arm64) ships them, shortened.
const VERSION_H = `#include "configargs.h"
#define GCCPLUGIN_VERSION_MAJOR   12
static char basever[] = "12.2.0";
static char datestamp[] = "20220819";
static char devphase[] = "";
static char revision[] = "";
`;
const CONFIGARGS_H = `/* Generated automatically. */
static const char configuration_arguments[] = "../src/configure -v --with-pkgversion='Debian 12.2.0-14+deb12u1' --with-bugurl=file:///usr/share/doc/gcc-12/README.Bugs --enable-plugin --build=aarch64-linux-gnu";
static const char thread_model[] = "posix";
`;

test('the compiler build comes from plugin-version.h and configargs.h', () => {
  const compiler = parsePluginCompiler(12, VERSION_H, CONFIGARGS_H);
  assert.ok(compiler !== undefined);
  assert.deepEqual(
    [compiler.major, compiler.basever, compiler.datestamp, compiler.pkgversion],
    [12, '12.2.0', '20220819', 'Debian 12.2.0-14+deb12u1'],
  );
  assert.equal(debianCompilerVersion(compiler), '12.2.0-14+deb12u1');
  assert.equal(describeCompiler(compiler), 'gcc 12.2.0 (Debian 12.2.0-14+deb12u1)');
  assert.equal(parsePluginCompiler(12, 'nothing', CONFIGARGS_H), undefined);
  // A gcc built without --with-pkgversion (upstream's own) is named by its date stamp.
  const plain = parsePluginCompiler(
    14,
    VERSION_H.replace('12.2.0', '14.2.0'),
    'static const char configuration_arguments[] = "../configure --enable-plugin";',
  );
  assert.equal(plain?.pkgversion, undefined);
  assert.equal(plain === undefined ? '' : describeCompiler(plain), 'gcc 14.2.0 (20220819)');
  assert.equal(plain === undefined ? 'x' : debianCompilerVersion(plain), undefined);
});

test('the record in the headers tree reads back as the same compiler', () => {
  const compiler = parsePluginCompiler(12, VERSION_H, CONFIGARGS_H);
  assert.ok(compiler !== undefined);
  const text = pluginCompilerRecord(compiler);
  assert.match(text, /^pkgversion: Debian 12\.2\.0-14\+deb12u1$/m);
  assert.deepEqual(parsePluginCompilerRecord(text), compiler);
  assert.equal(parsePluginCompilerRecord('major: 12\n'), undefined);
});

test('--target-gcc: the same build (Debian version or gcc version) passes, another is refused with what to do', () => {
  const compiler = parsePluginCompiler(12, VERSION_H, CONFIGARGS_H);
  assert.ok(compiler !== undefined);
  for (const same of [undefined, '12.2.0-14+deb12u1', 'Debian 12.2.0-14+deb12u1', '12.2.0'])
    assert.doesNotThrow(() => assertTargetCompiler(compiler, same, '/x'), String(same));
  for (const other of ['12.2.0-14', '12.3.0', '13.2.0-1']) {
    assert.throws(
      () => assertTargetCompiler(compiler, other, '/x'),
      (e: unknown) =>
        isKpkgError(e) &&
        e.message.includes(`the target's gcc is ${other}`) &&
        (e.hint ?? '').includes('--plugin-sysroot'),
    );
  }
});
