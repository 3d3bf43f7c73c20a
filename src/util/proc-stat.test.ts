import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProcStat } from './proc-stat.js';

test('a stat line is read after the last parenthesis, whatever the command name holds', () => {
  const tail = '0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 12345 9000000 777 18446744073709551615';
  assert.deepEqual(parseProcStat(`123 (cc1 (x) y) S 45 67 67 ${tail}`), {
    comm: 'cc1 (x) y',
    state: 'S',
    ppid: 45,
    pgrp: 67,
    residentPages: 777,
  });
  assert.deepEqual(parseProcStat(`9 (a) b) Z 1 9 9 ${tail}`)?.comm, 'a) b');
  assert.equal(parseProcStat(''), undefined);
  assert.equal(parseProcStat(`9 (make) S x 9 ${tail}`), undefined);
  assert.equal(parseProcStat('9 (make) S 1 9 9'), undefined, 'no rss field');
});
