import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseModinfo, vermagicMatchesRelease } from './modinfo.js';

const MODINFO = `filename:       /tmp/kpkg-sample/kpkg_hello.ko
description:    Hello-world module built by kpkg smoke to test a linux-headers package
author:         kpkg
license:        GPL
depends:        
name:           kpkg_hello
vermagic:       6.1.0-56-arm64 SMP preempt mod_unload modversions aarch64
parm:           answer:The answer (int)
parm:           name:charp
alias:          pci:v00008086d*sv*sd*bc*sc*i*
`;

test('modinfo output parses into fields, repeated ones kept in order', () => {
  const fields = parseModinfo(MODINFO);
  assert.deepEqual(fields.get('vermagic'), ['6.1.0-56-arm64 SMP preempt mod_unload modversions aarch64']);
  assert.deepEqual(fields.get('license'), ['GPL']);
  assert.deepEqual(fields.get('depends'), ['']);
  assert.deepEqual(fields.get('parm'), ['answer:The answer (int)', 'name:charp']);
  assert.deepEqual(fields.get('alias'), ['pci:v00008086d*sv*sd*bc*sc*i*']);
  assert.equal(fields.get('filename')?.[0], '/tmp/kpkg-sample/kpkg_hello.ko');
  assert.equal(fields.get('signer'), undefined);
});

test('modinfo -F style output (a bare value) yields no fields', () => {
  assert.equal(parseModinfo('6.1.0-56-arm64 SMP preempt mod_unload modversions aarch64\n').size, 0);
});

test('vermagic must start with the release and a space', () => {
  const vermagic = '6.1.0-56-arm64 SMP preempt mod_unload modversions aarch64';
  assert.equal(vermagicMatchesRelease(vermagic, '6.1.0-56-arm64'), true);
  assert.equal(vermagicMatchesRelease(vermagic, '6.1.0-56'), false);
  assert.equal(vermagicMatchesRelease(vermagic, '6.1.0-56-arm64+'), false);
  assert.equal(vermagicMatchesRelease('6.12.95 SMP mod_unload', '6.12.95'), true);
  assert.equal(vermagicMatchesRelease('', '6.12.95'), false);
});
