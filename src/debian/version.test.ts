import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareDebianVersions, parseDebianVersion } from './version.js';

describe('compareDebianVersions', () => {
  // Each row checked against `dpkg --compare-versions`.
  const rows: [string, string, number][] = [
    ['1.0~rc1', '1.0', -1],
    ['2:1.0', '3.0', 1],
    ['1.0-1', '1.0-1+deb12u1', -1],
    ['1.0', '1.0-0', 0],
    ['0:1.0', '1.0', 0],
    ['1.0a', '1.0+', -1],
    ['1.0~~', '1.0~', -1],
    ['1.01', '1.1', 0],
    ['1.0.0', '1.0', 1],
    ['1.0.', '1.0', 1],
    ['1.0-1~bpo', '1.0-1', -1],
    ['1.0~rc1-1', '1.0-1', -1],
    ['10', '9', 1],
    ['000010', '9', 1],
    ['1.10', '1.9', 1],
    ['2.36-9+deb12u14', '2.36-9+deb12u9', 1],
    ['1:1.2.13.dfsg-1', '1:1.2.3.3.dfsg-1', 1],
    ['12345678901234567890', '12345678901234567891', -1],
    ['2.34', '2.34', 0],
    [' 2.34 ', '2.34', 0],
  ];
  for (const [a, b, expected] of rows) {
    test(`${a} vs ${b}`, () => {
      assert.equal(compareDebianVersions(a, b), expected);
      assert.equal(compareDebianVersions(b, a), -expected || 0);
    });
  }
});

test('parseDebianVersion: the revision is after the last hyphen; no epoch is 0', () => {
  assert.deepEqual(parseDebianVersion('1:2.36-9+deb12u9'), { epoch: 1, upstream: '2.36', revision: '9+deb12u9' });
  assert.deepEqual(parseDebianVersion('1.0-rc-1'), { epoch: 0, upstream: '1.0-rc', revision: '1' });
  assert.deepEqual(parseDebianVersion('6.1.0'), { epoch: 0, upstream: '6.1.0', revision: '' });
});

test('parseDebianVersion: an epoch that is not a number counts as 0 and is dropped', () => {
  assert.deepEqual(parseDebianVersion('x:1.0'), { epoch: 0, upstream: '1.0', revision: '' });
  assert.equal(compareDebianVersions('x:1.0', '1:0.1'), -1);
});
