import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dependencyDep, depHasChar, normalizeDeps, relationDep, rpmlibDep, RPMSENSE } from './deps.js';

const { LESS, GREATER, EQUAL, RPMLIB, SCRIPT_PRE } = RPMSENSE;

test("Debian operators become rpm's sense flags, added to the caller's", () => {
  assert.deepEqual(relationDep({ name: 'a', version: { op: '>=', version: '1.0' } }, 'Depends'), {
    name: 'a',
    flags: GREATER | EQUAL,
    version: '1.0',
  });
  assert.equal(relationDep({ name: 'a', version: { op: '<<', version: '2' } }, 'Depends').flags, LESS);
  assert.equal(relationDep({ name: 'a', version: { op: '>>', version: '2' } }, 'Depends').flags, GREATER);
  assert.deepEqual(relationDep({ name: 'libc.so.6()(64bit)' }, 'Depends', SCRIPT_PRE), {
    name: 'libc.so.6()(64bit)',
    flags: SCRIPT_PRE,
    version: '',
  });
});

test('alternatives become one rich dependency; a single alternative stays plain', () => {
  const rich = dependencyDep([{ name: 'gcc' }, { name: 'clang', version: { op: '<<', version: '19~rc1' } }], 'Depends');
  assert.deepEqual(rich, { name: '(gcc or clang < 19~rc1)', flags: 0, version: '' });
  assert.equal(depHasChar(rich, '~'), true);
  assert.equal(depHasChar(rich, '^'), false);
  assert.deepEqual(dependencyDep([{ name: 'make' }], 'Depends'), { name: 'make', flags: 0, version: '' });
  assert.throws(() => dependencyDep([], 'Depends'), /an empty list of alternatives in the Depends/);
});

test('names and versions rpm would read differently are refused', () => {
  assert.throws(() => relationDep({ name: 'a b' }, 'Depends'), /invalid Depends name "a b" for rpm/);
  assert.throws(() => relationDep({ name: '(a or b)' }, 'Conflicts'), /invalid Conflicts name/);
  assert.throws(
    () => relationDep({ name: 'a', version: { op: '=', version: '1 2' } }, 'Provides'),
    /invalid version "1 2" in the Provides on a for rpm/,
  );
  assert.throws(() => dependencyDep([{ name: 'ok' }, { name: 'x>y' }], 'Depends'), /invalid Depends name "x>y"/);
});

test('sets are sorted by name bytes, then version, then flags, without duplicates', () => {
  const deps = normalizeDeps([
    { name: 'b', flags: 0, version: '' },
    { name: 'a', flags: EQUAL, version: '2' },
    { name: 'B', flags: 0, version: '' },
    { name: 'a', flags: GREATER, version: '10' },
    { name: 'a', flags: EQUAL, version: '2' },
    { name: 'a', flags: LESS, version: '2' },
  ]);
  assert.deepEqual(
    deps.map((d) => `${d.name} ${d.version} ${d.flags}`),
    ['B  0', `a 10 ${GREATER}`, `a 2 ${LESS}`, `a 2 ${EQUAL}`, 'b  0'],
  );
});

test('rpmlib features are required at most at their version', () => {
  assert.deepEqual(rpmlibDep('RichDependencies', '5.0-1'), {
    name: 'rpmlib(RichDependencies)',
    flags: RPMLIB | LESS | EQUAL,
    version: '5.0-1',
  });
  assert.equal(depHasChar({ name: 'a', flags: EQUAL, version: '1.0^git1' }, '^'), true);
});
