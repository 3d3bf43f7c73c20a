import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeName } from './name-bytes.js';
import { isPrintable, printable, printableLines } from './printable.js';

test('printable: controls, separators and format characters escaped, so the text is one line', () => {
  assert.equal(printable('x\nresult: PASS — 0 errors'), 'x\\nresult: PASS — 0 errors');
  assert.equal(printable('a\rb\tc\x1b[2Jd\x7f'), 'a\\rb\\tc\\x1b[2Jd\\x7f');
  assert.equal(
    printable('c1\u0085 nbsp\u00a0'),
    'c1\\u{85} nbsp\u00a0',
    'C1 NEL escaped, a no-break space is printable',
  );
  assert.equal(printable('ls\u2028ps\u2029'), 'ls\\u{2028}ps\\u{2029}');
  assert.equal(printable('abc\u202edcba\u200b'), 'abc\\u{202e}dcba\\u{200b}', 'bidi override and zero-width space');
  assert.equal(printable('lone \ud800 surrogate'), 'lone \\u{d800} surrogate');
  assert.equal(printable('nul\0'), 'nul\\x00');
});

test('printable: a byte of a name that is not UTF-8 is \\xHH, a character never is', () => {
  const name = decodeName(Buffer.from([0x74, 0xff, 0x85]));
  assert.equal(printable(name), 't\\xff\\x85');
  assert.notEqual(printable(name), printable('t\u00ff\u0085'));
});

test('printable: a backslash is escaped too, so an escape always stands for one character', () => {
  assert.equal(printable('a\\nb'), 'a\\\\nb');
  assert.notEqual(printable('a\\nb'), printable('a\nb'));
});

test('printable: ordinary text, Unicode letters and emoji unchanged', () => {
  for (const text of ['usr/src/linux-headers-6.1/scripts/mod/modpost', 'kpkg test ü€.h', '✅ ok ⚠️ WARN …', ''])
    assert.equal(printable(text), text);
});

test("printableLines: a log's line breaks, tabs and backslashes kept, other controls escaped", () => {
  assert.equal(printableLines('make: *** [x] Error 1\n\tcc \\\n'), 'make: *** [x] Error 1\n\tcc \\\n');
  assert.equal(printableLines('\x1b[31mred\x1b[0m\r\nlast\rover'), '\\x1b[31mred\\x1b[0m\nlast\\rover');
  assert.equal(printableLines('a\u2028b'), 'a\\u{2028}b');
});

test('isPrintable: one line of printable text; a backslash is printable', () => {
  assert.equal(isPrintable('Jane Doe <jane@example.org> \\o/ ü'), true);
  for (const text of ['a\nb', 'a\rb', 'tab\t', '\x1b[0m', 'x\u2028', 'rtl\u202e'])
    assert.equal(isPrintable(text), false, JSON.stringify(text));
});
