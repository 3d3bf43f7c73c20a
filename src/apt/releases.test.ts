import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstReleaseWithGlibc, laterRelease, releaseOfVersion } from './releases.js';

test('a stable update or backport version names its release; a plain one names none', () => {
  assert.equal(releaseOfVersion('6.1.158-1+deb12u1'), 'bookworm');
  assert.equal(releaseOfVersion('6.12.9-1~bpo12+1'), 'bookworm');
  assert.equal(releaseOfVersion('2.41-12+deb13u1'), 'trixie');
  assert.equal(releaseOfVersion('5.10.223-1+deb11u1'), 'bullseye');
  assert.equal(releaseOfVersion('6.12.95-1'), undefined);
  assert.equal(releaseOfVersion('1.0+deb99u1'), undefined);
});

test('libc6 (>= V) is first satisfied by the release whose glibc is V or newer', () => {
  assert.equal(firstReleaseWithGlibc('2.34'), 'bookworm');
  assert.equal(firstReleaseWithGlibc('2.36-9+deb12u4'), 'bookworm');
  assert.equal(firstReleaseWithGlibc('2.17'), 'buster');
  assert.equal(firstReleaseWithGlibc('2.38'), 'trixie');
  assert.equal(firstReleaseWithGlibc('9.0'), undefined);
});

test('the later of two releases', () => {
  assert.equal(laterRelease('bookworm', 'trixie'), 'trixie');
  assert.equal(laterRelease('sid', 'trixie'), 'sid');
});
