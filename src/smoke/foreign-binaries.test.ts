import assert from 'node:assert/strict';
import { chmod, copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { findForeignBinaries, foreignSummary } from './foreign-binaries.js';

interface Header {
  class: 32 | 64;
  endian: 'little' | 'big';
  /** e_type: 1 REL, 2 EXEC, 3 DYN. */
  type: number;
  machine: number;
  flags?: number;
}

/** A bare ELF header (no program headers): all an identity check reads. */
function elfHeader(h: Header): Uint8Array {
  const bytes = new Uint8Array(h.class === 64 ? 64 : 52);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, h.class === 64 ? 2 : 1, h.endian === 'little' ? 1 : 2, 1]);
  const view = new DataView(bytes.buffer);
  const little = h.endian === 'little';
  view.setUint16(16, h.type, little);
  view.setUint16(18, h.machine, little);
  view.setUint32(20, 1, little);
  view.setUint32(h.class === 64 ? 48 : 36, h.flags ?? 0, little);
  view.setUint16(h.class === 64 ? 52 : 40, bytes.length, little);
  return bytes;
}

const X86_64 = { class: 64, endian: 'little', machine: 62 } as const;
const ARM = { class: 32, endian: 'little', machine: 40 } as const;

let root = '';

async function put(pathInRoot: string, content: Uint8Array | string, mode: number): Promise<void> {
  const hostPath = join(root, pathInRoot);
  await mkdir(dirname(hostPath), { recursive: true });
  await writeFile(hostPath, content);
  await chmod(hostPath, mode);
}

async function copyIn(source: string, pathInRoot: string, mode: number, hint: string): Promise<void> {
  const hostPath = join(root, pathInRoot);
  await mkdir(dirname(hostPath), { recursive: true });
  try {
    await copyFile(source, hostPath);
  } catch (cause) {
    throw new Error(`${source} is missing; fix: ${hint}`, { cause });
  }
  await chmod(hostPath, mode);
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'kpkg-foreign-'));
  const scripts = '/usr/src/hdr/scripts';
  await copyIn(
    '/usr/aarch64-linux-gnu/lib/libc.so.6',
    `${scripts}/arm64-program`,
    0o755,
    'apt-get install libc6-arm64-cross',
  );
  await copyIn(
    '/usr/arm-linux-gnueabihf/lib/libc.so.6',
    `${scripts}/armhf.so`,
    0o644,
    'apt-get install libc6-armhf-cross',
  );
  await put(`${scripts}/fixdep`, elfHeader({ ...X86_64, type: 2 }), 0o755);
  await put(`${scripts}/x86-pie`, elfHeader({ ...X86_64, type: 3 }), 0o700);
  await put(`${scripts}/x86-not-executable`, elfHeader({ ...X86_64, type: 2 }), 0o644);
  await put(`${scripts}/x86-library.so`, elfHeader({ ...X86_64, type: 3 }), 0o644);
  await put(`${scripts}/x86-object.o`, elfHeader({ ...X86_64, type: 1 }), 0o755);
  await put(`${scripts}/x86-core`, elfHeader({ ...X86_64, type: 4 }), 0o755);
  await put(`${scripts}/aarch64-big-endian`, elfHeader({ class: 64, endian: 'big', machine: 183, type: 2 }), 0o755);
  await put(`${scripts}/arm32`, elfHeader({ ...ARM, type: 2, flags: 0x05000400 }), 0o755);
  await put(`${scripts}/script`, '#!/bin/sh\necho hello world\n', 0o755);
  await put(`${scripts}/short`, new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1]), 0o755);
  await put('/usr/src/common/tool', elfHeader({ ...X86_64, type: 2 }), 0o755);
  // Followed the way the target would: the absolute link starts again at root.
  await symlink('/usr/src/common', join(root, '/usr/src/hdr/build'));
  await symlink('/nonexistent', join(root, `${scripts}/dangling`));

  const arm = '/usr/src/arm';
  await put(`${arm}/hard`, elfHeader({ ...ARM, type: 2, flags: 0x05000400 }), 0o755);
  await put(`${arm}/soft.so`, elfHeader({ ...ARM, type: 3, flags: 0x05000200 }), 0o644);
  await put(`${arm}/unmarked`, elfHeader({ ...ARM, type: 3, flags: 0x05000000 }), 0o755);
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('lists executables and shared objects that are not for the target, following symlinks inside the root', async () => {
  assert.deepEqual(await findForeignBinaries(root, '/usr/src/hdr', 'arm64'), [
    { path: '/usr/src/hdr/build/tool', found: 'x86-64 64-bit little-endian' },
    { path: '/usr/src/hdr/scripts/aarch64-big-endian', found: 'AArch64 64-bit big-endian' },
    { path: '/usr/src/hdr/scripts/arm32', found: 'ARM 32-bit little-endian hard-float' },
    { path: '/usr/src/hdr/scripts/armhf.so', found: 'ARM 32-bit little-endian hard-float' },
    { path: '/usr/src/hdr/scripts/fixdep', found: 'x86-64 64-bit little-endian' },
    { path: '/usr/src/hdr/scripts/x86-library.so', found: 'x86-64 64-bit little-endian' },
    { path: '/usr/src/hdr/scripts/x86-pie', found: 'x86-64 64-bit little-endian' },
  ]);
});

test('the ARM float ABI counts only when the file is marked with one', async () => {
  assert.deepEqual(await findForeignBinaries(root, '/usr/src/arm', 'armhf'), [
    { path: '/usr/src/arm/soft.so', found: 'ARM 32-bit little-endian soft-float' },
  ]);
  assert.deepEqual(await findForeignBinaries(root, '/usr/src/arm', 'armel'), [
    { path: '/usr/src/arm/hard', found: 'ARM 32-bit little-endian hard-float' },
  ]);
});

test('a missing directory has no foreign binaries', async () => {
  assert.deepEqual(await findForeignBinaries(root, '/usr/src/missing', 'arm64'), []);
});

test('the summary names at most max programs and counts the rest', () => {
  const foreign = ['fixdep', 'modpost', 'objtool'].map((name) => ({
    path: `/b/scripts/${name}`,
    found: 'x86-64 64-bit little-endian',
  }));
  assert.equal(
    foreignSummary(foreign, 'arm64', 2),
    [
      'kpkg: 3 program(s) in the headers are not arm64 binaries:',
      '  /b/scripts/fixdep: x86-64 64-bit little-endian',
      '  /b/scripts/modpost: x86-64 64-bit little-endian',
      '  ... and 1 more',
    ].join('\n'),
  );
  assert.equal(
    foreignSummary(foreign.slice(0, 1), 'riscv64', 5),
    'kpkg: 1 program(s) in the headers are not riscv64 binaries:\n  /b/scripts/fixdep: x86-64 64-bit little-endian',
  );
});
