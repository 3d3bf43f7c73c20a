import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KpkgError } from '../util/errors.js';
import { FileSet } from './file-set.js';
import { installPath, joinInstallPath } from './member-path.js';
import type { Member, ReadPackage } from './model.js';

function pkg(name: string, members: (Omit<Member, 'size' | 'mode'> & { size?: number })[]): ReadPackage {
  return { input: `${name}.deb`, format: 'deb', name, members: members.map((m) => ({ size: 0, mode: 0o644, ...m })) };
}

describe('install paths of archive members', () => {
  it('normalizes ./, leading slashes and trailing slashes', () => {
    assert.equal(installPath('./usr/src/x/', 'a.deb'), '/usr/src/x');
    assert.equal(installPath('/etc/passwd', 'a.deb'), '/etc/passwd');
    assert.equal(installPath('usr//./lib', 'a.deb'), '/usr/lib');
    assert.equal(installPath('./', 'a.deb'), undefined);
  });

  it("refuses '..' components and NUL bytes with exit status 2", () => {
    for (const name of ['../etc/passwd', './usr/../../etc/shadow', 'usr/src/..', 'a\0b']) {
      assert.throws(
        () => installPath(name, 'evil.deb'),
        (e: unknown) => e instanceof KpkgError && e.exitCode === 2 && e.message.includes('evil.deb'),
        name,
      );
    }
  });

  it('joins relative symlink targets, clamping at the root', () => {
    assert.equal(
      joinInstallPath('/usr/src/linux-headers-6.1.0-56-arm64', '../../lib/linux-kbuild-6.1/scripts'),
      '/usr/lib/linux-kbuild-6.1/scripts',
    );
    assert.equal(joinInstallPath('/usr', '../../../../etc'), '/etc');
    assert.equal(joinInstallPath('/usr', '/abs/x'), '/abs/x');
  });
});

describe('FileSet: several packages as one installed tree', () => {
  // The shape of Debian's split headers: the flavour package reaches scripts/ through a symlink into linux-kbuild.
  const flavour = pkg('linux-headers-6.1.0-56-arm64', [
    { path: '/usr/src/linux-headers-6.1.0-56-arm64/Makefile', type: 'file' },
    {
      path: '/usr/src/linux-headers-6.1.0-56-arm64/scripts',
      type: 'symlink',
      link: '../../lib/linux-kbuild-6.1/scripts',
    },
    { path: '/lib/modules/6.1.0-56-arm64/build', type: 'symlink', link: '/usr/src/linux-headers-6.1.0-56-arm64' },
  ]);
  const kbuild = pkg('linux-kbuild-6.1', [
    { path: '/usr/lib/linux-kbuild-6.1/scripts/basic/fixdep', type: 'file' },
    { path: '/usr/src/linux-kbuild-6.1', type: 'symlink', link: '../lib/linux-kbuild-6.1' },
  ]);

  it('resolves symlinks across packages', () => {
    const set = new FileSet([flavour, kbuild]);
    const r = set.resolve('/lib/modules/6.1.0-56-arm64/build/scripts/basic/fixdep');
    assert.equal(r.kind, 'file');
    assert.equal(r.path, '/usr/lib/linux-kbuild-6.1/scripts/basic/fixdep');
    assert.equal(r.member?.pkg.name, 'linux-kbuild-6.1');
    assert.equal(r.via.length, 2);
    assert.equal(set.resolve('/usr/src/linux-kbuild-6.1/scripts').kind, 'dir');
    assert.equal(set.resolve('/lib/modules/6.1.0-56-arm64/build', false).kind, 'symlink');
  });

  it('says where resolution leaves the set when a package is missing', () => {
    const set = new FileSet([flavour]);
    const r = set.resolve('/usr/src/linux-headers-6.1.0-56-arm64/scripts/basic/fixdep');
    assert.equal(r.kind, 'missing');
    assert.equal(r.path, '/usr/lib/linux-kbuild-6.1/scripts/basic/fixdep');
    assert.deepEqual(r.via, ['/usr/src/linux-headers-6.1.0-56-arm64/scripts -> ../../lib/linux-kbuild-6.1/scripts']);
  });

  it('follows hard links to their file', () => {
    const set = new FileSet([
      pkg('p', [
        { path: '/a/file', type: 'file', size: 5, md5: 'x' },
        { path: '/a/hard', type: 'hardlink', link: '/a/file' },
      ]),
    ]);
    const r = set.resolve('/a/hard');
    assert.deepEqual([r.kind, r.member?.size, r.member?.path], ['file', 5, '/a/hard']);
  });

  it('reports symlink loops, direct or through directories, with exit status 2', () => {
    const loops = [
      [
        { path: '/x/a', type: 'symlink', link: 'b' },
        { path: '/x/b', type: 'symlink', link: 'a' },
      ],
      [{ path: '/x/self', type: 'symlink', link: 'self' }],
      [{ path: '/x/dir', type: 'symlink', link: '../x/dir/sub' }],
    ] as const;
    for (const members of loops) {
      const set = new FileSet([
        pkg(
          'loopy',
          members.map((m) => ({ ...m })),
        ),
      ]);
      assert.throws(
        () => set.assertNoSymlinkLoops(),
        (e: unknown) => e instanceof KpkgError && e.exitCode === 2 && /symlink loop/.test(e.message),
      );
    }
    // A link to its own directory is no loop.
    new FileSet([
      pkg('fine', [
        { path: '/x/here', type: 'symlink', link: '.' },
        { path: '/x/f', type: 'file' },
      ]),
    ]).assertNoSymlinkLoops();
  });

  it('lists non-directory paths shipped by two packages', () => {
    const a = pkg('a', [
      { path: '/usr/share/x', type: 'file' },
      { path: '/usr', type: 'dir' },
    ]);
    const b = pkg('b', [
      { path: '/usr/share/x', type: 'file' },
      { path: '/usr', type: 'dir' },
    ]);
    assert.deepEqual(new FileSet([a, b]).conflicts, [{ path: '/usr/share/x', packages: ['a', 'b'] }]);
  });
});
