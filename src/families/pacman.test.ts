import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PKGBASE } from '../layouts/pacman/layout.js';
import { KpkgError } from '../util/errors.js';
import { pkgbaseOf } from './pacman.js';

test('--pkgbase, else PACMAN_PKGBASE, else the default', () => {
  assert.equal(pkgbaseOf('linux-board', { PACMAN_PKGBASE: 'linux-env' }), 'linux-board');
  assert.equal(pkgbaseOf(undefined, { PACMAN_PKGBASE: 'linux-env' }), 'linux-env');
  assert.equal(pkgbaseOf(undefined, {}), DEFAULT_PKGBASE);
});

test("a package base is checked with makepkg's rule: upper case is fine, a leading dot or hyphen is a usage error", () => {
  assert.equal(pkgbaseOf('Linux-Board', {}), 'Linux-Board');
  for (const [given, env] of [
    ['.linux', {}],
    ['-linux', {}],
    [undefined, { PACMAN_PKGBASE: '' }],
    [undefined, { PACMAN_PKGBASE: 'linux board' }],
  ] as const) {
    const shown = given ?? env.PACMAN_PKGBASE ?? '';
    assert.throws(
      () => pkgbaseOf(given, env),
      (e: unknown) =>
        e instanceof KpkgError &&
        e.exitCode === 2 &&
        e.message === `"${shown}" is not a valid pacman package base` &&
        e.hint === 'use letters, digits and @ . _ + - (not first: - or .)',
      JSON.stringify([given, env]),
    );
  }
});
