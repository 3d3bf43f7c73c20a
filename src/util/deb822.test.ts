import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deb822Field, deb822Paragraphs } from './deb822.js';

test('paragraphs, continuation lines, comments and case-insensitive field names', () => {
  const text =
    '# a comment\nTypes: deb\nURIs: http://a/debian\n http://b/debian\nSuites:  bookworm \n\n\n\tnot a field\nPackage: x\nDescription: short\n long line\n .\n\nno colon here\n';
  const paragraphs = deb822Paragraphs(text);
  assert.equal(paragraphs.length, 2);
  assert.deepEqual(
    [...(paragraphs[0] ?? [])],
    [
      ['Types', 'deb'],
      ['URIs', 'http://a/debian\nhttp://b/debian'],
      ['Suites', 'bookworm'],
    ],
  );
  assert.deepEqual(
    [...(paragraphs[1] ?? [])],
    [
      ['Package', 'x'],
      ['Description', 'short\nlong line\n.'],
    ],
  );
  assert.equal(deb822Field(paragraphs[0] ?? new Map(), 'uris'), 'http://a/debian\nhttp://b/debian');
  assert.equal(deb822Field(paragraphs[0] ?? new Map(), 'Enabled'), undefined);
});
