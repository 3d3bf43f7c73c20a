import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RPMTAG } from '../../archive/rpm.js';
import type { PackageEntry } from '../../package/model.js';
import { readHeader } from '../../testing/rpm-header.js';
import { HeaderBuilder } from './header.js';
import { addFileTags, hasLargeFiles, installedSize, payloadEntries, rpmFiles } from './files.js';

const bytes = (text: string): Extract<PackageEntry, { kind: 'file' }> => ({
  kind: 'file',
  path: '',
  mode: 0o644,
  size: text.length,
  source: { from: 'bytes', data: Buffer.from(text) },
});

const ENTRIES: PackageEntry[] = [
  { kind: 'dir', path: '/', mode: 0o755 },
  { ...bytes('hello'), path: '/usr/src/k/b.h' },
  { kind: 'symlink', path: '/usr/src/k/a-link', target: 'b.h' },
  { kind: 'ghost', path: '/boot/vmlinuz-k', mode: 0o600 },
  { kind: 'dir', path: '/usr/src/k', mode: 0o2755 },
  { ...bytes('#!'), path: '/usr/src/k/sub-tool', mode: 0o755 },
  { ...bytes(''), path: '/usr/src/k.h' },
];

test('the package owns exactly the listed entries but /, in byte order of their paths', () => {
  const files = rpmFiles(ENTRIES);
  assert.deepEqual(
    files.map((f) => [f.entry.path, f.mode.toString(8), f.size]),
    [
      ['/boot/vmlinuz-k', '100600', 0],
      ['/usr/src/k', '42755', 0],
      ['/usr/src/k.h', '100644', 0],
      ['/usr/src/k/a-link', '120777', 3],
      ['/usr/src/k/b.h', '100644', 5],
      ['/usr/src/k/sub-tool', '100755', 2],
    ],
  );
  assert.equal(installedSize(files), 10, 'files and symlink targets; ghosts and directories count nothing');
  assert.equal(hasLargeFiles(files), false);
  assert.equal(hasLargeFiles([{ entry: ENTRIES[1] as PackageEntry, size: 2 ** 32, mode: 0o100644 }]), true);
});

test('the payload names every file but the ghosts with "./", numbered by their place in the list', () => {
  const members = payloadEntries(rpmFiles(ENTRIES), 1700000000);
  assert.deepEqual(
    members.map((m) => [m.name, m.type, m.ino, m.fileIndex, m.mtime]),
    [
      ['./usr/src/k', 'dir', 2, 1, 1700000000],
      ['./usr/src/k.h', 'file', 3, 2, 1700000000],
      ['./usr/src/k/a-link', 'symlink', 4, 3, 1700000000],
      ['./usr/src/k/b.h', 'file', 5, 4, 1700000000],
      ['./usr/src/k/sub-tool', 'file', 6, 5, 1700000000],
    ],
  );
});

test('the file tags: directory names in first-seen order, digests of regular files, ghosts marked', () => {
  const header = new HeaderBuilder();
  addFileTags(header, rpmFiles(ENTRIES), 42, new Map([['/usr/src/k/b.h', 'beef']]));
  const read = readHeader(header.encode(RPMTAG.HEADERIMMUTABLE)).header;
  assert.deepEqual(read.strings(RPMTAG.DIRNAMES), ['/boot/', '/usr/src/', '/usr/src/k/']);
  assert.deepEqual(read.numbers(RPMTAG.DIRINDEXES), [0, 1, 1, 2, 2, 2]);
  assert.deepEqual(read.strings(RPMTAG.BASENAMES), ['vmlinuz-k', 'k', 'k.h', 'a-link', 'b.h', 'sub-tool']);
  assert.deepEqual(read.strings(RPMTAG.FILEDIGESTS), ['', '', '', '', 'beef', '']);
  assert.deepEqual(read.strings(RPMTAG.FILELINKTOS), ['', '', '', 'b.h', '', '']);
  assert.deepEqual(read.numbers(RPMTAG.FILEFLAGS), [1 << 6, 0, 0, 0, 0, 0]);
  assert.deepEqual(read.numbers(RPMTAG.FILEDEVICES), [0, 1, 1, 1, 1, 1]);
  assert.deepEqual(read.numbers(RPMTAG.FILEINODES), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(read.numbers(RPMTAG.FILESIZES), [0, 0, 0, 3, 5, 2]);
  assert.deepEqual(read.numbers(RPMTAG.FILEMTIMES), [42, 42, 42, 42, 42, 42]);
  assert.equal(read.has(RPMTAG.LONGFILESIZES), false);
});

test('no files, no file tags', () => {
  const header = new HeaderBuilder();
  addFileTags(header, rpmFiles([]), 0, new Map());
  assert.equal(header.has(RPMTAG.BASENAMES), false);
});

test('two entries for one path are refused', () => {
  assert.throws(() =>
    rpmFiles([
      { ...bytes('a'), path: '/x' },
      { kind: 'symlink', path: '/x', target: 'y' },
    ]),
  );
});
