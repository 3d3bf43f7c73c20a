import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MtreeEntry } from './mtree.js';
import { mtreeQuote, mtreeText } from './mtree.js';

const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const file = (path: string, mode = 0o644): MtreeEntry => ({ type: 'file', path, mode, size: 0, md5: MD5, sha256: SHA });

test('mtreeQuote escapes blanks, #, =, backslashes and every byte outside printable ASCII', () => {
  assert.equal(mtreeQuote('plain-name_1.h'), 'plain-name_1.h');
  assert.equal(mtreeQuote('a b#c=d\\e'), 'a\\040b\\043c\\075d\\134e');
  assert.equal(mtreeQuote('é\t'), '\\303\\251\\011');
});

test('directories first, then their files, then subdirectories; /set follows the common mode', () => {
  const text = mtreeText(
    [
      file('usr/src/z.h'),
      { type: 'link', path: 'usr/src/l', target: 'a b.h' },
      { type: 'dir', path: 'usr/src/sub', mode: 0o755 },
      file('usr/src/sub/tool', 0o755),
      file('usr/src/a b.h'),
      { type: 'dir', path: 'usr', mode: 0o755 },
      { type: 'dir', path: 'usr/src', mode: 0o40755 },
    ],
    1700000000,
  );
  const t = ' time=1700000000.0';
  const digests = `size=0 md5digest=${MD5} sha256digest=${SHA}`;
  assert.equal(
    text,
    [
      '#mtree',
      '/set type=file uid=0 gid=0 mode=755',
      `./usr${t} type=dir`,
      '/set mode=644',
      `./usr/src${t} mode=755 type=dir`,
      `./usr/src/a\\040b.h${t} ${digests}`,
      `./usr/src/l${t} mode=777 type=link link=a\\040b.h`,
      `./usr/src/z.h${t} ${digests}`,
      `./usr/src/sub${t} mode=755 type=dir`,
      `./usr/src/sub/tool${t} mode=755 ${digests}`,
      '',
    ].join('\n'),
  );
});

test('a mode used by one child alone does not change the /set', () => {
  const text = mtreeText([{ type: 'dir', path: 'd', mode: 0o755 }, file('d/only', 0o600)], 0);
  assert.match(
    text,
    /^#mtree\n\/set type=file uid=0 gid=0 mode=755\n\.\/d time=0\.0 type=dir\n\.\/d\/only time=0\.0 mode=600 size=0 /,
  );
});

test('an entry whose parent directory is not listed is refused', () => {
  assert.throws(() => mtreeText([file('usr/x.h')], 0), /the parent directory of usr\/x\.h is not listed/);
});
