import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { withBuildCache } from '../../cache/build-cache.js';
import { fileState } from '../../util/file-state.js';
import { AARCH64_ELF, bareElf, X86_64_ELF } from '../../testing/bare-elf.js';
import type { HeadersEntry } from './manifest.js';
import { scanHeadersTree } from './scan.js';

let work = '';
const entries: HeadersEntry[] = [];

/** A headers tree of four files: a header, a target program, a target object and a build-machine program. */
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-headers-scan-'));
  const files: [string, Uint8Array | string][] = [
    ['include/linux/kernel.h', '#define X 1\n'],
    ['scripts/target-program', bareElf({ ...AARCH64_ELF, type: 'DYN' })],
    ['scripts/target-object.o', bareElf({ ...AARCH64_ELF, type: 'REL' })],
    ['scripts/basic/fixdep', bareElf({ ...X86_64_ELF, type: 'EXEC' })],
  ];
  for (const [path, content] of files) {
    const source = join(work, path.replaceAll('/', '_'));
    await writeFile(source, content);
    entries.push({
      path,
      kind: 'file',
      source,
      mode: 0o644,
      size: content.length,
      origin: 'objtree',
      state: await fileState(source),
    });
  }
  entries.push({
    path: 'source',
    kind: 'symlink',
    source: join(work, 'source'),
    mode: 0o777,
    size: 0,
    linkTarget: '/usr/src',
    origin: 'kpkg',
  });
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

test('the scan sorts ELF files: the linked ones (programs, shared objects), and those not of the target', async () => {
  await withBuildCache({ cacheDir: join(work, 'cache-off'), enabled: false }, async (cache) => {
    const scan = await scanHeadersTree(entries, AARCH64_ELF, cache);
    assert.deepEqual(
      scan.files.map((e) => e.path),
      ['include/linux/kernel.h', 'scripts/target-program', 'scripts/target-object.o', 'scripts/basic/fixdep'],
    );
    assert.deepEqual([...scan.linked], ['scripts/basic/fixdep', 'scripts/target-program']);
    assert.deepEqual([...scan.foreign], ['scripts/basic/fixdep']);
    assert.deepEqual(scan.readOf('include/linux/kernel.h'), { kind: 'not-elf' });
    assert.equal(scan.readOf('scripts/target-program')?.kind, 'elf');
  });
});

test('a warm scan takes the lists from the build cache: non-ELF files are known, ELF files are read again at the gate', async () => {
  const cacheDir = join(work, 'cache');
  await withBuildCache({ cacheDir, enabled: true }, (cache) => scanHeadersTree(entries, AARCH64_ELF, cache));
  await withBuildCache({ cacheDir, enabled: true }, async (cache) => {
    const scan = await scanHeadersTree(entries, AARCH64_ELF, cache);
    assert.deepEqual([...scan.foreign], ['scripts/basic/fixdep']);
    assert.deepEqual(scan.readOf('include/linux/kernel.h'), { kind: 'not-elf' });
    assert.equal(scan.readOf('scripts/target-program'), undefined);
  });
});

test('the target decides what is foreign: scanned for x86-64, the AArch64 files are', async () => {
  await withBuildCache({ cacheDir: join(work, 'cache-off'), enabled: false }, async (cache) => {
    const scan = await scanHeadersTree(entries, X86_64_ELF, cache);
    assert.deepEqual([...scan.foreign], ['scripts/target-object.o', 'scripts/target-program']);
  });
});
