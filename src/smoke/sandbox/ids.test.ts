import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freeRange, parseSubordinateIds, usableRange } from './ids.js';

const FILE = 'root:1000000:65536\nalice:100000:65536\n# comment\n1001:165536:65536\nbob:231072:1000\nbroken line\n';

test('the ranges of /etc/subuid, by name or numeric id; lines that are not owner:first:count skipped', () => {
  const ranges = parseSubordinateIds(FILE);
  assert.equal(ranges.length, 4);
  assert.deepEqual(usableRange(ranges, { name: 'alice', uid: 1000, gid: 1000 }), {
    owner: 'alice',
    first: 100000,
    count: 65536,
  });
  assert.deepEqual(usableRange(ranges, { name: 'carol', uid: 1001, gid: 1001 })?.first, 165536);
  // Fewer than 65536 ids is no range the target can use.
  assert.equal(usableRange(ranges, { name: 'bob', uid: 1002, gid: 1002 }), undefined);
});

test('the range the hint offers overlaps none in the files', () => {
  const first = freeRange(parseSubordinateIds(FILE));
  assert.ok(first >= 1_065_536, String(first));
  assert.equal(first % 65536, 0);
  assert.equal(freeRange([]), 131072);
});
