import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import type { PackageDescription } from '../../package/model.js';
import { KpkgError } from '../../util/errors.js';
import { checkPacmanName, isPacmanPackageName, pacmanFileName } from './names.js';

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
  assert.throws(
    () => checkPacmanName('.linux', 'pkgbase'),
    (e: unknown) => e instanceof KpkgError && e.message.startsWith('invalid pkgbase ".linux" for pacman'),
  );
});

const pkg: PackageDescription = {
  name: 'linux-kpkg-headers',
  version: '6.12.9-1',
  arch: 'armel',
  summary: 'headers',
  description: 'headers',
  maintainer: 'Kpkg Test <kpkg@example.org>',
  entries: [],
  mtime: 0,
};

void describe('pacmanFileName: the architecture comes from the arch table', () => {
  void it("armel is Arch Linux ARM's ARMv5 name, arm", () => {
    assert.equal(pacmanFileName(pkg, 'zstd'), 'linux-kpkg-headers-6.12.9-1-arm.pkg.tar.zst');
  });

  void it('ppc64 and mips64el have names too; all is any', () => {
    assert.equal(pacmanFileName({ ...pkg, arch: 'ppc64' }, 'xz'), 'linux-kpkg-headers-6.12.9-1-powerpc64.pkg.tar.xz');
    assert.equal(pacmanFileName({ ...pkg, arch: 'mips64el' }, 'xz'), 'linux-kpkg-headers-6.12.9-1-mips64el.pkg.tar.xz');
    assert.equal(pacmanFileName({ ...pkg, arch: 'all' }, 'gzip'), 'linux-kpkg-headers-6.12.9-1-any.pkg.tar.gz');
  });

  void it('a name that is no Debian architecture of the table is refused', () => {
    assert.throws(
      () => pacmanFileName({ ...pkg, arch: 'armv7h' }, 'zstd'),
      (e: unknown) => e instanceof KpkgError && /Debian architecture 'armv7h'/.test(e.message),
    );
  });
});
