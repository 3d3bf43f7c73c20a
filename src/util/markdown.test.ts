import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mdBlock, mdCode, mdDocument, mdTable, mdText } from './markdown.js';

test('text and code cannot break out of a table cell or inject markup', () => {
  assert.equal(mdText('a|b *c* <script> `x`\nnext'), 'a\\|b \\*c\\* \\<script\\> \\`x\\`<br>next');
  assert.equal(mdCode('scripts/mod/modpost'), '`scripts/mod/modpost`');
  assert.equal(mdCode('a|b'), '`a\\|b`');
  assert.equal(mdCode('say `hi`'), '`` say `hi` ``');
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
