import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { modulesInOrder } from './debug-info.js';

test('modules.order lists objects on 6.12 and .ko files on 6.1; both become the built .ko paths', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-order-'));
  await writeFile(join(dir, 'modules.order'), 'lib/crc-ccitt.o\nlib/crc-itu-t.o\n\n');
  assert.deepEqual(await modulesInOrder(dir), ['lib/crc-ccitt.ko', 'lib/crc-itu-t.ko']);
  await writeFile(join(dir, 'modules.order'), 'lib/crc-ccitt.ko\nlib/crc-itu-t.ko\nlib/crc-ccitt.ko\n');
  assert.deepEqual(await modulesInOrder(dir), ['lib/crc-ccitt.ko', 'lib/crc-itu-t.ko']);
  assert.deepEqual(await modulesInOrder(join(dir, 'missing')), []);
});
