import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PackageDescription } from '../../package/model.js';
import { tinyPackage } from '../../testing/family-packages.js';
import { RPMSENSE } from './deps.js';
import { checkName, depSets, rpmVersion, scripts } from './metadata.js';

const { EQUAL, GREATER, LESS, RPMLIB, INTERP, SCRIPT_POST, SCRIPT_PRE } = RPMSENSE;
const AARCH64 = { name: 'aarch64', archnum: 19, isa: 'aarch-64' };

function pkg(fields: Partial<PackageDescription>): PackageDescription {
  return { ...tinyPackage(), ...fields };
}

test("versions: rpm's EVR, a release required, no '-' or ':' inside version or release", () => {
  assert.deepEqual(rpmVersion(pkg({ version: '2:6.1.0~rc3-1' })), {
    epoch: 2,
    version: '6.1.0~rc3',
    release: '1',
    evr: '2:6.1.0~rc3-1',
  });
  assert.throws(() => rpmVersion(pkg({ version: '6.1-a-2' })), /the version '6\.1-a' .* \(no '-' or ':'\)/);
  assert.throws(() => rpmVersion(pkg({ version: '6.1' })), /has no release, which rpm needs: .*'6\.1-1'/);
  assert.throws(() => rpmVersion(pkg({ version: '6.1:x-1' })), /the version '6\.1:x' of kpkg-family-test .* not valid/);
});

test('package names as rpmbuild allows them', () => {
  assert.doesNotThrow(() => checkName('kernel-headers_6.1+x'));
  assert.throws(() => checkName('-kernel'), /'-kernel' is not a valid rpm package name/);
  assert.throws(() => checkName('a..b'), /not a valid rpm package name/);
});

test('the interpreter comes from the #! line; a script without one is refused', () => {
  const list = scripts(pkg({ scripts: { postinst: '#!/bin/sh -e\necho hi\n\n', preinst: '#! /bin/bash\n:' } }));
  assert.deepEqual(
    list.map((s) => [s.prog, s.body]),
    [
      [['/bin/bash'], '#! /bin/bash\n:'],
      [['/bin/sh', '-e'], '#!/bin/sh -e\necho hi'],
    ],
  );
  assert.throws(
    () => scripts(pkg({ scripts: { prerm: 'sh -c true' } })),
    /the prerm script of kpkg-family-test must start/,
  );
});

test('dependency sets: the implicit provides, script interpreters, and the rpmlib features they need', () => {
  const p = pkg({
    depends: [[{ name: 'gcc' }, { name: 'clang' }]],
    preDepends: [{ name: 'coreutils', version: { op: '>=', version: '9~1' } }],
    breaks: [{ name: 'old', version: { op: '<<', version: '2' } }],
    provides: [{ name: 'linux-headers' }],
    scripts: { postinst: '#!/bin/sh -e\n:' },
  });
  const sets = depSets(p, AARCH64, '1.0-1', scripts(p), []);
  const show = (deps: readonly { name: string; flags: number; version: string }[]): string[] =>
    deps.map((d) => `${d.name} ${d.flags} ${d.version}`.trimEnd());
  assert.deepEqual(show(sets.provides), [
    `kpkg-family-test ${EQUAL} 1.0-1`,
    `kpkg-family-test(aarch-64) ${EQUAL} 1.0-1`,
    'linux-headers 0',
  ]);
  const feature = RPMLIB | LESS | EQUAL;
  assert.deepEqual(show(sets.requires), [
    '(gcc or clang) 0',
    `/bin/sh ${INTERP | SCRIPT_POST}`,
    `coreutils ${SCRIPT_PRE | GREATER | EQUAL} 9~1`,
    `rpmlib(RichDependencies) ${feature} 4.12.0-1`,
    `rpmlib(ScriptletInterpreterArgs) ${feature} 4.0.3-1`,
    `rpmlib(TildeInVersions) ${feature} 4.10.0-1`,
  ]);
  assert.deepEqual(show(sets.conflicts), [`old ${LESS} 2`]);
  assert.deepEqual(sets.obsoletes, []);
});
