import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KpkgError } from '../util/errors.js';
import { debFileName } from '../formats/deb/packager.js';
import { debLayout, type DebPackageKind } from './deb/layout.js';
import { parseOnly as parseOnlyOf, selectKinds as selectKindsOf, type LayoutFeatures } from './layout.js';

const features = (modules: boolean, debugInfo: boolean): LayoutFeatures => ({ modules, debugInfo });
const parseOnly = (list: string): DebPackageKind[] => parseOnlyOf(debLayout, list);
const selectKinds = (f: LayoutFeatures, only: readonly DebPackageKind[] | undefined): DebPackageKind[] =>
  selectKindsOf(debLayout, f, only);

test('--only takes a comma-separated list in any order and writes in the fixed order', () => {
  assert.deepEqual(parseOnly('dbg, image,libc-dev'), ['image', 'libc-dev', 'dbg']);
  assert.deepEqual(parseOnly('headers'), ['headers']);
  assert.throws(
    () => parseOnly('image,kernel'),
    (e: unknown) => e instanceof KpkgError && e.exitCode === 2 && /unknown package "kernel"/.test(e.message),
  );
  assert.throws(() => parseOnly(' , '), KpkgError);
});

test('by default every package that applies to the tree, as mkdebian decides', () => {
  assert.deepEqual(selectKinds(features(true, false), undefined), ['image', 'headers', 'libc-dev']);
  assert.deepEqual(selectKinds(features(true, true), undefined), ['image', 'headers', 'libc-dev', 'dbg']);
  assert.deepEqual(selectKinds(features(false, false), undefined), ['image', 'libc-dev']);
});

test('asking for a package that does not apply is a usage error that says why', () => {
  assert.throws(
    () => selectKinds(features(true, false), ['image', 'dbg']),
    (e: unknown) => e instanceof KpkgError && e.exitCode === 2 && /CONFIG_DEBUG_INFO/.test(e.message),
  );
  assert.throws(() => selectKinds(features(false, true), ['headers']), /CONFIG_MODULES/);
  assert.deepEqual(selectKinds(features(true, true), ['dbg', 'image']), ['image', 'dbg']);
});

test('file names drop the epoch, as dpkg-name does', () => {
  assert.equal(debFileName('linux-image-6.1.0', '1:6.1.0-1', 'arm64'), 'linux-image-6.1.0_6.1.0-1_arm64.deb');
});
