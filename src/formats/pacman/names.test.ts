import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KpkgError } from '../../util/errors.js';
import { checkPacmanName, isPacmanPackageName } from './names.js';

test("pacman package names: makepkg's lint_one_pkgname, upper case included", () => {
  for (const name of ['linux', 'linux-upstream', 'Linux-Board', 'linux6.12', 'a@b_c+d.e-f', '0day', '_x', '+x', '@x']) {
    assert.equal(isPacmanPackageName(name), true, name);
  }
  for (const name of ['', '-linux', '.linux', 'linux board', 'linux/x', 'linux:x', 'linüx', 'linux~1', 'linux\n']) {
    assert.equal(isPacmanPackageName(name), false, JSON.stringify(name));
  }
});

test('checkPacmanName refuses what the rule refuses, naming what it checked', () => {
  assert.doesNotThrow(() => checkPacmanName('Linux-Board'));
  assert.throws(() => checkPacmanName('.linux', 'pkgbase'), (e: unknown) => e instanceof KpkgError && e.message.startsWith('invalid pkgbase ".linux" for pacman'));
});
