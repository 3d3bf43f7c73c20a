import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  formatRelation,
  formatRelationClause,
  meaningOf,
  mergeDepends,
  parseDependency,
  parseRelation,
  parseRelationClause,
  relationNames,
} from './relations.js';

describe('parseRelation', () => {
  test('name, architecture qualifier, operator and version; blanks where deb-control(5) allows them', () => {
    assert.deepEqual(parseRelation('libc6 (>= 2.34)'), {
      name: 'libc6',
      arch: undefined,
      version: { op: '>=', version: '2.34' },
    });
    assert.deepEqual(parseRelation('  python3:any  '), { name: 'python3', arch: 'any', version: undefined });
    assert.deepEqual(parseRelation('zlib1g:arm64(>>1:1.2)'), {
      name: 'zlib1g',
      arch: 'arm64',
      version: { op: '>>', version: '1:1.2' },
    });
    assert.deepEqual(parseRelation('a ( << 1~rc1 )')?.version, { op: '<<', version: '1~rc1' });
    for (const op of ['<<', '<=', '=', '>=', '>>'] as const)
      assert.equal(parseRelation(`a (${op} 1)`)?.version?.op, op);
  });

  test('the deprecated < and > are kept as written, printed as <= and >=', () => {
    const older = parseRelation('a (< 1)');
    assert.equal(older?.version?.op, '<');
    assert.equal(parseRelation('a (> 1)')?.version?.op, '>');
    assert.ok(older !== undefined);
    assert.equal(formatRelation(older), 'a (<= 1)');
    assert.equal(meaningOf('>'), '>=');
    assert.equal(meaningOf('>>'), '>>');
  });

  test('refuses what is not name[:arch] [(op version)]', () => {
    for (const text of [
      'c [amd64]',
      'foo <!nocheck>',
      'a (>= 1',
      'a (>= 1 2)',
      'a (~ 1)',
      '(>= 1) a',
      '-a',
      '',
      'a b',
      '${shlibs:Depends}',
    ]) {
      assert.equal(parseRelation(text), undefined, text);
    }
  });
});

test('parseRelationClause: alternatives, or the clause kept as text with its blanks folded', () => {
  const clause = parseRelationClause(' libssl3  |libssl3t64 (>= 3.0) ');
  assert.equal(clause.kind, 'alternatives');
  assert.equal(formatRelationClause(clause), 'libssl3 | libssl3t64 (>= 3.0)');
  assert.deepEqual(parseRelationClause(' libfoo1  [arm64] | b '), { kind: 'unparsed', text: 'libfoo1 [arm64] | b' });
});

test('relationNames: alternatives, versions, arch qualifiers and lists, build profiles', () => {
  assert.deepEqual(relationNames('a (>= 1) | b:any, c [amd64],  d'), [['a', 'b'], ['c'], ['d']]);
  assert.deepEqual(relationNames('libc6 (>= 2.34), libssl3 | libssl3t64'), [['libc6'], ['libssl3', 'libssl3t64']]);
  assert.deepEqual(relationNames('foo <!nocheck>, Bar_Baz(<1)'), [['foo'], ['Bar_Baz']]);
  assert.deepEqual(relationNames(' , | ,'), []);
  assert.deepEqual(relationNames(''), []);
  assert.deepEqual(relationNames(undefined), []);
});

describe('parseDependency', () => {
  test("a clause as the package model's dependency", () => {
    assert.deepEqual(parseDependency('libc6 (>= 2.34)'), { name: 'libc6', version: { op: '>=', version: '2.34' } });
    assert.deepEqual(parseDependency('libssl3 | libssl3t64'), [{ name: 'libssl3' }, { name: 'libssl3t64' }]);
    assert.deepEqual(parseDependency('libc6 (>> 2.36)'), { name: 'libc6', version: { op: '>>', version: '2.36' } });
    assert.deepEqual(parseDependency('python3:any'), { name: 'python3:any' });
  });

  test('what kpkg cannot write is an internal error naming the alternative', () => {
    assert.throws(() => parseDependency('libc6 | Libfoo1'), /internal: not a Debian relation: ' Libfoo1'/);
    assert.throws(() => parseDependency('libfoo1:ARM64'), /not a Debian relation/);
    assert.throws(() => parseDependency('libfoo1 [arm64]'), /not a Debian relation: 'libfoo1 \[arm64\]'/);
    assert.throws(
      () => parseDependency('libfoo1 (> 1)'),
      /not a Debian relation: 'libfoo1 \(> 1\)'/,
      'mergeDepends writes >=',
    );
    assert.throws(() => parseDependency(''), /not a Debian relation/);
  });
});

describe('mergeDepends', () => {
  test('duplicates and implied clauses go, the highest >= stays, sorted like dpkg', () => {
    // What Dpkg::Deps simplify_deps + sort make of the same list.
    const merged = mergeDepends([
      'libc6 (>= 2.34), libc6 (>> 2.36), libc6 (<< 2.37), libc6',
      'zlib1g (>= 1:1.1.4) | libz',
      'zlib1g (>= 1:1.2)',
      'libfoo (= 1.0), libfoo (>= 0.9), libfoo (<= 1.0)',
    ]);
    assert.deepEqual(merged, ['libc6 (>> 2.36)', 'libc6 (<< 2.37)', 'libfoo (= 1.0)', 'zlib1g (>= 1:1.2)']);
    const libc = [
      'libc6 (>= 2.17)',
      'libc6 (>= 2.34)',
      'libc6   (>=2.34)',
      'libgmp10 (>= 2:6.2.1+dfsg1)',
      'libc6 (>= 2.4)',
    ];
    assert.deepEqual(mergeDepends(libc), ['libc6 (>= 2.34)', 'libgmp10 (>= 2:6.2.1+dfsg1)']);
    assert.deepEqual(mergeDepends(['b (>= 1.0~rc1)', 'b (>= 1.0)', 'a']), ['a', 'b (>= 1.0)']);
    assert.deepEqual(mergeDepends(['libx (> 1)']), ['libx (>= 1)']);
    assert.deepEqual(mergeDepends(['libx (> 1)', 'libx (>= 1)', 'libx (< 3)', 'libx (<= 2)']), [
      'libx (>= 1)',
      'libx (<= 2)',
    ]);
  });

  test('an architecture qualifier makes another package: neither implies the other', () => {
    assert.deepEqual(mergeDepends(['python3:any (>= 3.11)', 'python3 (>= 3.9)']), [
      'python3 (>= 3.9)',
      'python3:any (>= 3.11)',
    ]);
  });

  test('a version is not implied by a higher one of another operator kind', () => {
    assert.deepEqual(mergeDepends(['a (<< 2)', 'a (>= 1)']), ['a (>= 1)', 'a (<< 2)']);
    assert.deepEqual(mergeDepends(['a (= 1)', 'a (>> 1)']), ['a (>> 1)', 'a (= 1)']);
  });

  test('unparsed clauses stay once, as written, and imply only themselves', () => {
    assert.deepEqual(mergeDepends(['b [arm64],  b  [arm64]', 'b', '']), ['b', 'b [arm64]']);
  });
});
