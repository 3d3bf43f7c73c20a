import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDynamic, readDynamicFile } from './dynamic.js';
import { KpkgError } from '../util/errors.js';
import { CrossBuildDir } from '../testing/cross-binaries.js';
import { assertWellFormedDynamic as assertWellFormed, prng } from '../testing/elf-checks.js';

// The dynamic section reader on synthetic input. Its tests on binaries from the real cross
// toolchains (compared with readelf, cut, holed and damaged) are in dynamic.slow.test.ts.

void describe('dynamic section reader on garbage', () => {
  void it('not ELF, empty, a bare magic and bad class bytes are undefined', () => {
    assert.equal(parseDynamic(new Uint8Array(0)), undefined);
    assert.equal(parseDynamic(new TextEncoder().encode('#!/bin/sh\necho hi\n')), undefined);
    assert.equal(parseDynamic(new Uint8Array([0x7f, 0x45, 0x4c, 0x46])), undefined);
    const header = new Uint8Array(64);
    header.set([0x7f, 0x45, 0x4c, 0x46, 3, 1]);
    assert.equal(parseDynamic(header), undefined);
    header.set([2, 9], 4);
    assert.equal(parseDynamic(header), undefined);
  });

  void it('survives seeded random bytes, with and without a plausible ELF header', () => {
    const random = prng(0x6b706b67);
    const started = performance.now();
    for (let i = 0; i < 3000; i++) {
      const bytes = new Uint8Array(Math.floor(random() * 2048));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
      if (i % 2 === 0 && bytes.length >= 6)
        bytes.set([0x7f, 0x45, 0x4c, 0x46, 1 + (i % 4 < 2 ? 0 : 1), 1 + (i % 8 < 4 ? 0 : 1)]);
      if (i % 4 === 0 && bytes.length >= 64) {
        const view = new DataView(bytes.buffer);
        const little = bytes[5] === 1;
        view.setUint16(16, 3, little); // ET_DYN
        // A section header table somewhere inside the file, of plausible entries.
        const is64 = bytes[4] === 2;
        const shoff = 64 + Math.floor(random() * Math.max(1, bytes.length - 64));
        if (is64) view.setBigUint64(40, BigInt(shoff), little);
        else view.setUint32(32, shoff, little);
        view.setUint16(is64 ? 58 : 46, is64 ? 64 : 40, little);
        view.setUint16(is64 ? 60 : 48, Math.floor(random() * 20), little);
      }
      assertWellFormed(parseDynamic(bytes));
    }
    assert.ok(performance.now() - started < 3000, `took ${performance.now() - started} ms`);
  });
});

void describe('readDynamicFile', () => {
  let dir: CrossBuildDir;
  before(async () => {
    dir = await CrossBuildDir.create('kpkg-dynamic-files-');
  });
  after(async () => {
    await dir.remove();
  });

  void it('is undefined for a text file and an empty file', async () => {
    const text = join(dir.path, 'script.sh');
    await writeFile(text, '#!/bin/sh\n');
    const empty = join(dir.path, 'empty');
    await writeFile(empty, '');
    assert.equal(await readDynamicFile(text), undefined);
    assert.equal(await readDynamicFile(empty), undefined);
  });

  void it('throws KpkgError for a missing file and a directory', async () => {
    await assert.rejects(
      readDynamicFile(join(dir.path, 'missing')),
      (e: unknown) => e instanceof KpkgError && e.where === join(dir.path, 'missing'),
    );
    await assert.rejects(
      readDynamicFile(dir.path),
      (e: unknown) => e instanceof KpkgError && /not a regular file/.test(e.message),
    );
  });
});
