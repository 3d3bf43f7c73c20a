import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { findArch, type ArchInfo } from '../../arch/arch-table.js';
import { AARCH64_ELF, bareElf, X86_64_ELF } from '../../testing/bare-elf.js';
import { KpkgError } from '../../util/errors.js';
import { gateElfFiles } from './gate.js';
import type { HeadersEntry } from './manifest.js';

let work = '';
const arm64: ArchInfo = findArch('arm64') ?? assert.fail('arm64 is a row of the arch table');

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-headers-gate-'));
  await writeFile(join(work, 'header.h'), '#define X 1\n');
  await writeFile(join(work, 'target'), bareElf({ ...AARCH64_ELF, type: 'EXEC' }));
  await writeFile(join(work, 'host'), bareElf({ ...X86_64_ELF, type: 'EXEC' }));
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

function file(path: string, name: string, origin: HeadersEntry['origin'] = 'objtree'): HeadersEntry {
  return { path, kind: 'file', source: join(work, name), mode: 0o755, size: 1, origin };
}

const readFromDisk = { readOf: (): undefined => undefined };

test('a tree whose ELF files are all the target’s passes the gate; it counts them', async () => {
  const entries = [
    file('include/x.h', 'header.h'),
    file('scripts/basic/fixdep', 'target', 'kpkg'),
    file('scripts/mod/modpost', 'target'),
  ];
  assert.equal(await gateElfFiles(entries, readFromDisk, arm64, '6.1.0'), 2);
});

test('a build-machine program left in the tree stops the gate, named in the error', async () => {
  const entries = [file('include/x.h', 'header.h'), file('scripts/prebuilt', 'host', 'srctree')];
  await assert.rejects(gateElfFiles(entries, readFromDisk, arm64, '6.1.0'), (e: unknown) => {
    assert.ok(e instanceof KpkgError);
    assert.match(e.message, /the headers of 6\.1\.0 would ship 1 file\(s\) that cannot run on the target/);
    assert.match(
      e.message,
      /scripts\/prebuilt: wrong-machine — x86-64 64-bit little-endian, expected AArch64 64-bit little-endian/,
    );
    return true;
  });
});

test("the scan's reads stand for files the scan read; rebuilt programs (origin kpkg) are read again", async () => {
  // The scan says 'not ELF' of both: the tree file is taken at its word, the rebuilt one is read and found foreign.
  const notElf = { readOf: () => ({ kind: 'not-elf' as const }) };
  assert.equal(await gateElfFiles([file('scripts/from-scan', 'host')], notElf, arm64, '6.1.0'), 0);
  await assert.rejects(
    gateElfFiles([file('scripts/rebuilt', 'host', 'kpkg')], notElf, arm64, '6.1.0'),
    /scripts\/rebuilt: wrong-machine/,
  );
});
