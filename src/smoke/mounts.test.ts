import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lastLines } from '../util/last-lines.js';
import { mountsBelow, parseMountPoints } from './mounts.js';

test('mountinfo mount points, with escaped spaces', () => {
  const text = [
    '22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw',
    '40 22 0:5 / /tmp/kpkg-rootfs-x/proc rw - proc proc rw',
    '41 22 0:6 / /tmp/with\\040space rw - tmpfs tmpfs rw',
  ].join('\n');
  assert.deepEqual(parseMountPoints(text), ['/', '/tmp/kpkg-rootfs-x/proc', '/tmp/with space']);
});

test('this process sees / mounted and nothing below a fresh name', async () => {
  assert.ok((await mountsBelow('/')).includes('/'));
  assert.deepEqual(await mountsBelow('/tmp/kpkg-no-such-dir'), []);
});

test('last lines of output', () => {
  assert.equal(lastLines('a\nb\nc\n', 2), 'b\nc');
  assert.equal(lastLines('a\nb\nc', 5), 'a\nb\nc');
  assert.equal(lastLines('', 3), '');
});
