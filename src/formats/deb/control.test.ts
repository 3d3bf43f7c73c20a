import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PackageDescription } from '../../package/model.js';
import { KpkgError } from '../../util/errors.js';
import { checkDebVersion, debControlText, formatDescription, formatRelations } from './control.js';

const base: PackageDescription = {
  name: 'linux-headers-6.12.95+bpo-arm64',
  version: '6.12.95-1~bpo12+1',
  arch: 'arm64',
  summary: 'Header files for Linux 6.12.95+bpo-arm64',
  description: 'This package provides the architecture-specific kernel header files.',
  maintainer: 'Kpkg Test <kpkg@example.org>',
  entries: [],
  mtime: 0,
};

void describe('deb control file', () => {
  void it("writes every field in dpkg-gencontrol's order", () => {
    const text = debControlText(
      {
        ...base,
        source: 'linux',
        sourceVersion: '6.12.95-1~bpo12+1',
        homepage: 'https://www.kernel.org/',
        section: 'kernel',
        priority: 'optional',
        multiArch: 'same',
        preDepends: [{ name: 'dpkg', version: { op: '>=', version: '1.19' } }],
        depends: [{ name: 'linux-kbuild-6.12.95+bpo' }, [{ name: 'gcc-12' }, { name: 'clang-16' }]],
        recommends: [{ name: 'firmware-linux-free' }],
        suggests: [{ name: 'linux-doc' }],
        conflicts: [{ name: 'old' }],
        breaks: [{ name: 'older', version: { op: '<<', version: '1.0' } }],
        replaces: [{ name: 'oldest' }],
        provides: [{ name: 'linux-headers', version: { op: '=', version: '6.12.95' } }],
      },
      12345,
    );
    assert.equal(
      text,
      [
        'Package: linux-headers-6.12.95+bpo-arm64',
        'Source: linux',
        'Version: 6.12.95-1~bpo12+1',
        'Architecture: arm64',
        'Maintainer: Kpkg Test <kpkg@example.org>',
        'Installed-Size: 12345',
        'Pre-Depends: dpkg (>= 1.19)',
        'Depends: linux-kbuild-6.12.95+bpo, gcc-12 | clang-16',
        'Recommends: firmware-linux-free',
        'Suggests: linux-doc',
        'Conflicts: old',
        'Breaks: older (<< 1.0)',
        'Replaces: oldest',
        'Provides: linux-headers (= 6.12.95)',
        'Section: kernel',
        'Priority: optional',
        'Multi-Arch: same',
        'Homepage: https://www.kernel.org/',
        'Description: Header files for Linux 6.12.95+bpo-arm64',
        ' This package provides the architecture-specific kernel header files.',
        '',
      ].join('\n'),
    );
  });

  void it('writes Source only when it differs, with the version when that differs', () => {
    assert.doesNotMatch(debControlText({ ...base, source: base.name }, 1), /^Source:/m);
    assert.match(
      debControlText({ ...base, source: 'linux', sourceVersion: '6.12.95-2' }, 1),
      /^Source: linux \(6\.12\.95-2\)$/m,
    );
    assert.match(
      debControlText({ ...base, source: base.name, sourceVersion: '6.12.95-2' }, 1),
      /^Source: linux-headers-6\.12\.95\+bpo-arm64 \(6\.12\.95-2\)$/m,
    );
  });

  void it('folds the long description: one-space indent, " ." for blank lines', () => {
    assert.equal(
      formatDescription('Summary', '\n\nFirst paragraph,\nsecond line.  \n\n\n  indented\n\n'),
      'Summary\n First paragraph,\n second line.\n .\n .\n   indented',
    );
    assert.equal(formatDescription('Summary only', ''), 'Summary only');
    assert.throws(() => formatDescription('two\nlines', ''), KpkgError);
    assert.throws(() => formatDescription('  ', ''), KpkgError);
  });

  void it('formats relations and refuses what Debian cannot express', () => {
    assert.equal(
      formatRelations([{ name: 'aa' }, [{ name: 'bb', version: { op: '>=', version: '1:2.0-1' } }, { name: 'cc' }]]),
      'aa, bb (>= 1:2.0-1) | cc',
    );
    assert.throws(() => formatRelations([{ name: 'a' }]), /invalid package name/);
    assert.throws(() => formatRelations([[]]), KpkgError);
    assert.throws(() => formatRelations([{ name: 'Upper' }]), KpkgError);
    assert.throws(
      () => debControlText({ ...base, provides: [{ name: 'xx', version: { op: '>=', version: '1' } }] }, 1),
      /Provides allows only '='/,
    );
  });

  void it('validates names, versions, architectures and one-line fields', () => {
    for (const good of ['1.0', '6.12.95-1~bpo12+1', '1:2.3-4', '2.0~rc1', '1.0-1-2']) checkDebVersion(good);
    for (const bad of ['', 'a1.0', '1.0 1', '1.0-', '1:', '1.0-a_b', 'x:1.0'])
      assert.throws(() => checkDebVersion(bad), KpkgError, bad);
    assert.throws(() => debControlText({ ...base, name: 'Linux' }, 1), /invalid package name/);
    assert.throws(() => debControlText({ ...base, arch: 'ARM64' }, 1), /invalid architecture/);
    assert.throws(
      () => debControlText({ ...base, maintainer: 'A\nB' }, 1),
      /Maintainer field must be one non-empty line/,
    );
    assert.throws(() => debControlText({ ...base, section: '' }, 1), /Section field/);
  });
});
