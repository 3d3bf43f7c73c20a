import assert from 'node:assert/strict';
import { test } from 'node:test';
import { relationNames } from '../debian/relations.js';
import type { ReadPackage } from '../reader/model.js';
import { libraryDataChoice, needsLibraryData, releaseOfPackages } from './library-release.js';

function deb(name: string, fields: Record<string, string>, needed: string[] = ['libc.so.6']): ReadPackage {
  const control = new Map(Object.entries({ Package: name, ...fields }));
  return {
    input: `${name}.deb`,
    format: 'deb',
    name,
    ...(fields.Version === undefined ? {} : { version: fields.Version }),
    members: [{ path: `/usr/bin/${name}`, type: 'file', size: 1, mode: 0o755, dynamic: { needed } }],
    requires: [...relationNames(fields['Pre-Depends']), ...relationNames(fields.Depends)],
    deb: {
      formatVersion: '2.0',
      control,
      md5sumsMalformed: [],
      conffiles: new Set(),
      dataMember: 'data.tar.xz',
      controlMember: 'control.tar.xz',
    },
  };
}

test("a trixie package's t64 library names its release, whatever the build machine runs", () => {
  const kbuild = deb('linux-kbuild-6.12', {
    Version: '6.12.57-1',
    Depends: 'libc6 (>= 2.34), libelf1t64 (>= 0.142), libssl3t64 (>= 3.0.0)',
  });
  assert.deepEqual(libraryDataChoice([kbuild], undefined, { fallbackSuite: 'bookworm' }), {
    kind: 'release',
    suite: 'trixie',
    from: "libelf1t64 in linux-kbuild-6.12's Depends",
  });
});

test('the latest clue wins: a version naming bookworm, a libc6 bound of bullseye', () => {
  const headers = deb('linux-headers-6.1', { Version: '6.1.158-1+deb12u1', Depends: 'libc6 (>= 2.31)' });
  assert.deepEqual(releaseOfPackages([headers]), {
    release: 'bookworm',
    from: 'the version 6.1.158-1+deb12u1 of linux-headers-6.1',
  });
});

test("kpkg's own headers (libc6 (>= 2.34)) are judged by bookworm's data even on a trixie machine", () => {
  const ours = deb('linux-headers-6.12.95', { Version: '6.12.95-1', Depends: 'libc6 (>= 2.34), libelf1 (>= 0.142)' });
  assert.equal(libraryDataChoice([ours], undefined, { fallbackSuite: 'trixie' })?.kind, 'release');
  assert.equal(
    (libraryDataChoice([ours], undefined, { fallbackSuite: 'trixie' }) as { suite: string }).suite,
    'bookworm',
  );
});

test("nothing in the packages names a release: the build machine's; --target-suite overrides; none means conventions", () => {
  const plain = deb('vendor-headers', { Version: '1.0', Depends: 'libc6' });
  assert.deepEqual(libraryDataChoice([plain], undefined, { fallbackSuite: 'bookworm' }), {
    kind: 'release',
    suite: 'bookworm',
    from: "no package names its release: the build machine's",
  });
  assert.deepEqual(libraryDataChoice([plain], 'trixie', { fallbackSuite: 'bookworm' }), {
    kind: 'release',
    suite: 'trixie',
    from: '--target-suite',
  });
  assert.deepEqual(libraryDataChoice([plain], 'none', { fallbackSuite: 'bookworm' }), {
    kind: 'conventions',
    from: '--target-suite none',
  });
});

test('no data is needed without a .deb whose files need a library', () => {
  const noPrograms = deb('linux-doc', { Depends: 'libc6 (>= 2.41)' }, []);
  assert.equal(needsLibraryData([noPrograms]), false);
  assert.equal(libraryDataChoice([noPrograms], undefined, { fallbackSuite: 'bookworm' }), undefined);
  assert.equal(needsLibraryData([{ ...deb('x', {}), format: 'rpm' }]), false);
});

test("no release before the architecture's first: kpkg's riscv64 headers (libc6 (>= 2.34)) are judged by trixie's data", () => {
  const riscv = deb('linux-headers-6.12.95', { Version: '6.12.95-1', Depends: 'libc6 (>= 2.34)' });
  assert.deepEqual(libraryDataChoice([riscv], undefined, { fallbackSuite: 'trixie', firstRelease: 'trixie' }), {
    kind: 'release',
    suite: 'trixie',
    from: "libc6 (>= 2.34) in linux-headers-6.12.95's Depends, and the architecture's first release",
  });
});
