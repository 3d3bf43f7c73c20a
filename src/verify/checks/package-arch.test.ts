import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { archByDebian, type ArchInfo } from '../../arch/arch-table.js';
import type { PackageFormat, ReadPackage } from '../../reader/model.js';
import { checkPackageArch } from './package-arch.js';

function row(debian: string): ArchInfo {
  const arch = archByDebian(debian);
  if (arch === undefined) throw new Error(`no row ${debian}`);
  return arch;
}

const declaring = (format: PackageFormat, arch: string): ReadPackage => ({
  input: `x.${format}`,
  format,
  name: `x-${arch}`,
  arch,
  members: [],
});

void describe('package-arch', () => {
  void it("takes a package's architecture in its family's words: pacman arm, rpm armv5tel are armel", () => {
    const outcome = checkPackageArch(
      [declaring('pacman', 'arm'), declaring('rpm', 'armv5tel'), declaring('deb', 'armel'), declaring('pacman', 'any')],
      row('armel'),
    );
    assert.deepEqual(outcome, { applicable: true, findings: [], note: undefined });
  });

  void it('names a package for another machine, and a name it does not know', () => {
    const outcome = checkPackageArch([declaring('pacman', 'armv7h'), declaring('deb', 'vax')], row('armel'));
    assert.equal(outcome.applicable, true);
    assert.deepEqual(
      outcome.findings.map((f) => f.message),
      [
        'declares architecture armv7h (armhf); the target is armel',
        'declares architecture vax (unknown to kpkg); the target is armel',
      ],
    );
  });
});
