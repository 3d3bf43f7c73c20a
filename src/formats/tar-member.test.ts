import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tarFileMember } from './tar-member.js';

test("a package file's tar member: its mode, size and the source of its bytes, at the given name and time", () => {
  const data = Buffer.from('obj-m := hello.o\n');
  assert.deepEqual(
    tarFileMember(
      './usr/src/Makefile',
      { kind: 'file', path: '/usr/src/Makefile', mode: 0o644, size: data.length, source: { from: 'bytes', data } },
      7,
    ),
    {
      type: 'file',
      name: './usr/src/Makefile',
      mode: 0o644,
      mtime: 7,
      size: data.length,
      content: { from: 'bytes', data },
    },
  );
  const fromDisk = tarFileMember(
    'usr/bin/x',
    { kind: 'file', path: '/usr/bin/x', mode: 0o755, size: 3, source: { from: 'disk', path: '/tmp/staged/x' } },
    0,
  );
  assert.deepEqual(fromDisk.content, { from: 'disk', path: '/tmp/staged/x' });
  assert.equal(fromDisk.mode, 0o755);
});
