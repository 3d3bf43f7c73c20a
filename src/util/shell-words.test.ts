import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quoteWord, shellWords } from './shell-words.js';

test('splits on blanks, keeps quoted text together', () => {
  assert.deepEqual(shellWords(`gcc  -DX='"a b"' -I ./x -o out "in put.c"\t-lz`), ['gcc', '-DX="a b"', '-I', './x', '-o', 'out', 'in put.c', '-lz']);
});

test('backslash escapes outside and inside double quotes', () => {
  assert.deepEqual(shellWords(String.raw`a\ b "c\"d" 'e\f'`), ['a b', 'c"d', String.raw`e\f`]);
});

test('empty quoted words survive', () => {
  assert.deepEqual(shellWords(`x '' ""`), ['x', '', '']);
});

test('an unterminated quote is an error', () => {
  assert.throws(() => shellWords(`gcc 'oops`), /unterminated/);
});

test('quoteWord round-trips through shellWords', () => {
  for (const w of ['plain', 'with space', "it's", '-DX="y"', '']) assert.deepEqual(shellWords(quoteWord(w)), [w]);
});
