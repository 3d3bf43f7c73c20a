import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { HeadersEntry } from './manifest.js';
import { headersRuntimeNeeds } from './needs.js';

let work = '';

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-headers-needs-'));
  await writeFile(join(work, 'header.h'), '#define X 1\n');
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

// /bin/true is a dynamically linked program that needs libc.so.6 (coreutils, on every build machine).
const program = (path: string): HeadersEntry => ({
  path,
  kind: 'file',
  source: '/bin/true',
  mode: 0o755,
  size: 1,
  origin: 'kpkg',
});

test('the needs are read from the linked files only', async () => {
  const header: HeadersEntry = {
    path: 'include/x.h',
    kind: 'file',
    source: join(work, 'header.h'),
    mode: 0o644,
    size: 12,
    origin: 'srctree',
  };
  const needs = await headersRuntimeNeeds(
    [header, program('scripts/basic/fixdep'), program('scripts/not-linked')],
    new Set(['scripts/basic/fixdep', 'include/x.h']),
  );
  assert.deepEqual(
    needs.files.map((f) => f.path),
    ['scripts/basic/fixdep'],
  );
  assert.ok(
    needs.libraries.some((l) => l.soname === 'libc.so.6'),
    'libc.so.6 is needed',
  );
});

test('a tree with no linked file needs nothing', async () => {
  const needs = await headersRuntimeNeeds([program('scripts/basic/fixdep')], new Set());
  assert.deepEqual(needs.libraries, []);
  assert.deepEqual(needs.files, []);
});
