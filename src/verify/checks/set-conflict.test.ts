import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileSet } from '../../reader/file-set.js';
import type { Member, ReadPackage } from '../../reader/model.js';
import { checkSetConflicts } from './set-conflict.js';

function pkg(name: string, members: Pick<Member, 'path' | 'type'>[]): ReadPackage {
  return { input: `${name}.deb`, format: 'deb', name, members: members.map((m) => ({ size: 0, mode: 0o644, ...m })) };
}

describe('set-conflict', () => {
  const headers = pkg('linux-headers-6.1', [
    { path: '/usr/src/linux-headers-6.1', type: 'dir' },
    { path: '/usr/src/linux-headers-6.1/Makefile', type: 'file' },
  ]);

  it('a file shipped by two packages is a warning naming both', () => {
    const other = pkg('linux-headers-6.1-copy', [
      { path: '/usr/src/linux-headers-6.1', type: 'dir' },
      { path: '/usr/src/linux-headers-6.1/Makefile', type: 'file' },
    ]);
    const outcome = checkSetConflicts(new FileSet([headers, other]));
    assert.equal(outcome.applicable, true);
    assert.deepEqual(
      outcome.findings.map((f) => [f.check, f.severity, f.path, f.package, f.message]),
      [
        [
          'set-conflict',
          'warning',
          '/usr/src/linux-headers-6.1/Makefile',
          'linux-headers-6.1, linux-headers-6.1-copy',
          'shipped by linux-headers-6.1 and linux-headers-6.1-copy: dpkg/rpm refuse to install both',
        ],
      ],
    );
  });

  it('a directory shared by two packages is no conflict', () => {
    const image = pkg('linux-image-6.1', [{ path: '/usr/src/linux-headers-6.1', type: 'dir' }]);
    assert.deepEqual(checkSetConflicts(new FileSet([headers, image])), {
      applicable: true,
      findings: [],
      note: undefined,
    });
  });

  it('does not apply to one package', () => {
    assert.deepEqual(checkSetConflicts(new FileSet([headers])), {
      applicable: false,
      findings: [],
      note: 'one package',
    });
  });
});
