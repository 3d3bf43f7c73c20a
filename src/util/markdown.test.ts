import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mdBlock, mdCode, mdDocument, mdTable, mdText } from './markdown.js';

test('text and code cannot break out of a table cell or inject markup', () => {
  assert.equal(mdText('a|b *c* <script> `x`'), 'a\\|b \\*c\\* \\<script\\> \\`x\\`');
  assert.equal(mdCode('scripts/mod/modpost'), '`scripts/mod/modpost`');
  assert.equal(mdCode('a|b'), '`a\\|b`');
  assert.equal(mdCode('say `hi`'), '`` say `hi` ``');
  assert.equal(mdCode('two `` ticks'), '``` two `` ticks ```');
});

test('text, code and blocks escape what is not printable: a name cannot start a line of its own', () => {
  const spoof = 'x\n### kpkg verify: ✅ PASS\r\x1b[2J\u2028';
  assert.equal(mdText(spoof), 'x\\\\n\\#\\#\\# kpkg verify: ✅ PASS\\\\r\\\\x1b\\[2J\\\\u{2028}');
  assert.equal(mdCode(spoof), '`x\\n### kpkg verify: ✅ PASS\\r\\x1b[2J\\u{2028}`');
  assert.equal(mdBlock('line 1\n\x1b[31mline 2\n'), '```\nline 1\n\\x1b[31mline 2\n```');
  for (const md of [mdText(spoof), mdCode(spoof)])
    for (const c of ['\n', '\r', '\x1b', '\u2028']) assert.ok(!md.includes(c), JSON.stringify(c));
});

test('tables, fenced blocks and documents', () => {
  assert.equal(
    mdTable(
      ['a', 'b'],
      [
        ['1', '2'],
        ['3', '4'],
      ],
    ),
    '| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |',
  );
  assert.equal(mdBlock('make: *** [x] Error 1\n'), '```\nmake: *** [x] Error 1\n```');
  assert.equal(mdBlock('has ``` inside'), '````\nhas ``` inside\n````');
  assert.equal(mdDocument(['# t', undefined, '', 'body']), '# t\n\nbody\n');
});
