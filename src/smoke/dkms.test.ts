import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KpkgError } from '../util/errors.js';
import { aptSpec, parseDkmsRequest, parseDkmsStatus } from './dkms.js';

test('--dkms takes a package name with an optional =version', () => {
  assert.deepEqual(parseDkmsRequest('v4l2loopback-dkms'), { package: 'v4l2loopback-dkms', version: undefined });
  assert.deepEqual(parseDkmsRequest('vpoll-dkms=0.1-2'), { package: 'vpoll-dkms', version: '0.1-2' });
  assert.equal(aptSpec(parseDkmsRequest('vpoll-dkms=0.1-2')), 'vpoll-dkms=0.1-2');
  assert.equal(aptSpec(parseDkmsRequest('vpoll-dkms')), 'vpoll-dkms');
  for (const bad of ['', 'Vpoll', 'vpoll-dkms=', 'a;rm -rf /', 'vpoll-dkms=1 2']) {
    assert.throws(
      () => parseDkmsRequest(bad),
      (e: unknown) => e instanceof KpkgError && e.exitCode === 2,
      bad,
    );
  }
});

test('dkms status: added and built modules, each once', () => {
  const status = `vpoll/0.1: added
dm-writeboost/2.2.17, 6.1.192, aarch64: built
dm-writeboost/2.2.17: added
Warning: some warning line
`;
  assert.deepEqual(parseDkmsStatus(status), [
    { module: 'vpoll', version: '0.1' },
    { module: 'dm-writeboost', version: '2.2.17' },
  ]);
});
