import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoundedText } from './bounded-text.js';

test('under the bound, the text as it came', () => {
  const t = new BoundedText(10, 10);
  for (const part of ['ab', 'cdefghij', 'klm']) t.append(part);
  assert.equal(t.text(), 'abcdefghijklm');
});

test('over the bound: the beginning, a line saying how much was left out, the end', () => {
  const t = new BoundedText(4, 6);
  for (let i = 0; i < 1000; i++) t.append(`${i % 10}`);
  assert.equal(t.text(), '0123\n[kpkg: 990 characters of output left out]\n456789');
});

test('a million appends stay within the bound', () => {
  const t = new BoundedText(1000, 1000);
  for (let i = 0; i < 1_000_000; i++) t.append('line of output\n');
  assert.ok(t.text().length < 2100);
  assert.match(t.text(), /line of output\n$/);
});
