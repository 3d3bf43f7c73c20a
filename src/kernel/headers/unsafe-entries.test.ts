import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HeadersEntry } from './manifest.js';
import { assertShippableEntries } from './unsafe-entries.js';

const file = (path: string): HeadersEntry => ({
  path,
  kind: 'file',
  source: `/src/${path}`,
  mode: 0o644,
  size: 1,
  origin: 'srctree',
});
const link = (path: string, linkTarget: string): HeadersEntry => ({
  path,
  kind: 'symlink',
  source: `/src/${path}`,
  mode: 0o777,
  size: 0,
  linkTarget,
  origin: 'srctree',
});
const check = (entries: HeadersEntry[]): void => assertShippableEntries(entries, () => '/src');

test('spaces, Unicode and links that stay inside the tree are shipped', () => {
  check([
    file('include/linux/a b ü€.h'),
    link('scripts/dtc/include-prefixes/arm64', '../../../arch/arm64/boot/dts'),
    link('include/x.h', 'y.h'),
  ]);
});

test('a newline or another control character in a name is refused, naming the file', () => {
  assert.throws(
    () => check([file('include/linux/a\nb.h')]),
    /"\/src\/include\/linux\/a\\nb\.h": a file name with a control character/,
  );
  assert.throws(() => check([file('include/linux/tab\t.h')]), /control character/);
});

test('links leaving the tree are refused: absolute, or climbing above its top', () => {
  assert.throws(
    () => check([link('include/linux/evil.h', '/etc/shadow')]),
    /\/src\/include\/linux\/evil\.h is a symbolic link to \/etc\/shadow, outside the kernel tree/,
  );
  assert.throws(() => check([link('include/evil.h', '../../etc/passwd')]), /outside the kernel tree/);
  assert.throws(() => check([link('evil', '..')]), /outside the kernel tree/);
});
