import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KpkgError } from '../util/errors.js';
import { ARCHES, archByDebian, findArch } from './arch-table.js';
import type { ArchInfo } from './arch-table.js';
import { archDeclaredBy, isArchIndependent, pacmanArch, requireFamilyArch, rpmArch } from './families.js';

function row(debian: string): ArchInfo {
  const found = archByDebian(debian);
  if (found === undefined) throw new Error(`no row ${debian}`);
  return found;
}

/** A row kpkg does not package as rpm, with the reason the refusal must give. */
function withoutRpm(arch: ArchInfo, reason: string): ArchInfo {
  const copy: ArchInfo = { ...arch, notPackaged: { rpm: reason } };
  delete copy.rpm;
  return copy;
}

void describe('family names', () => {
  void it('rpm: name, archnum and isa from the row; all is noarch', () => {
    assert.deepEqual(rpmArch('arm64'), { name: 'aarch64', archnum: 19, isa: 'aarch-64' });
    assert.deepEqual(rpmArch('armel'), { name: 'armv5tel', archnum: 12, isa: 'armv5tel-32' });
    assert.deepEqual(rpmArch('all'), { name: 'noarch', archnum: 0 });
  });

  void it("pacman: the row's name; all is any", () => {
    assert.equal(pacmanArch('armhf'), 'armv7h');
    assert.equal(pacmanArch('armel'), 'arm');
    assert.equal(pacmanArch('ppc64'), 'powerpc64');
    assert.equal(pacmanArch('all'), 'any');
  });

  void it('a name that is not a Debian architecture of the table is a one-line KpkgError', () => {
    assert.throws(
      () => rpmArch('aarch64'),
      (e: unknown) =>
        e instanceof KpkgError && /for the Debian architecture 'aarch64'/.test(e.message) && !e.message.includes('\n'),
    );
    assert.throws(
      () => pacmanArch('sparc64'),
      (e: unknown) =>
        e instanceof KpkgError && /a pacman package for the Debian architecture 'sparc64'/.test(e.message),
    );
  });
});

void describe('requireFamilyArch', () => {
  void it("lets every row of today's table through for every family", () => {
    for (const arch of ARCHES) {
      for (const family of ['deb', 'rpm', 'pacman', 'tar'] as const) requireFamilyArch(family, arch);
    }
  });

  void it("refuses a row without the family's name, in one line with its reason and what works", () => {
    const refused = withoutRpm(row('armel'), 'no rpm distribution ships for ARMv5');
    assert.throws(
      () => requireFamilyArch('rpm', refused),
      (e: unknown) =>
        e instanceof KpkgError &&
        e.message === 'kpkg does not write rpm packages for armel: no rpm distribution ships for ARMv5' &&
        (e.hint ?? '').includes('package it as deb or tar') &&
        (e.hint ?? '').includes('arm64'),
    );
    requireFamilyArch('pacman', refused);
    requireFamilyArch('deb', refused);
    requireFamilyArch('tar', refused);
  });

  void it('a row missing a name without a reason is refused too, naming the table', () => {
    const bare: ArchInfo = { ...row('mips64el') };
    delete bare.pacman;
    assert.throws(
      () => requireFamilyArch('pacman', bare),
      /kpkg does not write pacman packages for mips64el: the arch table has no name for it/,
    );
  });
});

void describe('archDeclaredBy: a package metadata architecture, in its family first', () => {
  void it("pacman's 'arm' is armel, which the kernel ARCH 'arm' alone cannot say", () => {
    assert.equal(archDeclaredBy('pacman', 'arm')?.debian, 'armel');
    assert.equal(findArch('arm'), undefined);
    assert.equal(archDeclaredBy('deb', 'arm'), undefined);
  });

  void it('each family reads its own names, and any other name the table knows', () => {
    assert.equal(archDeclaredBy('rpm', 'armv5tel')?.debian, 'armel');
    assert.equal(archDeclaredBy('pacman', 'armv7h')?.debian, 'armhf');
    assert.equal(archDeclaredBy('deb', 'ppc64el')?.debian, 'ppc64el');
    assert.equal(archDeclaredBy('directory', 'aarch64')?.debian, 'arm64');
  });

  void it('all, noarch and any are for every machine; nothing else is', () => {
    for (const name of ['all', 'noarch', 'any']) assert.equal(isArchIndependent(name), true, name);
    for (const name of ['arm', 'x86_64', '']) assert.equal(isArchIndependent(name), false, name);
  });
});
