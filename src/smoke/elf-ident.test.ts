import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { armFloatAbi, describeElf, readElfIdent } from './elf-ident.js';

async function head(path: string, hint: string): Promise<Uint8Array> {
  try {
    return (await readFile(path)).subarray(0, 64);
  } catch (cause) {
    throw new Error(`${path} is missing; fix: ${hint}`, { cause });
  }
}

test("reads the host's and the arm64 cross libc's ELF identity", async () => {
  const host = readElfIdent(await head('/bin/sh', 'apt-get install dash'));
  assert.equal(host?.bits, 64);
  assert.equal(process.arch === 'x64' ? host?.machine : 62, 62);
  const arm64 = readElfIdent(await head('/usr/aarch64-linux-gnu/lib/libc.so.6', 'apt-get install libc6-arm64-cross'));
  assert.deepEqual(arm64, { bits: 64, littleEndian: true, type: 3, machine: 183, flags: 0 });
  assert.equal(describeElf(arm64), 'AArch64, 64-bit LSB');
  const armhf = readElfIdent(await head('/usr/arm-linux-gnueabihf/lib/libc.so.6', 'apt-get install libc6-armhf-cross'));
  assert.equal(armhf === undefined ? '' : describeElf(armhf), 'ARM, 32-bit LSB, hard-float');
  assert.equal(armhf === undefined ? '' : armFloatAbi(armhf), 'hard');
});

test('not ELF, or too short', () => {
  assert.equal(readElfIdent(new TextEncoder().encode('#!/bin/sh\necho hello world\n')), undefined);
  assert.equal(readElfIdent(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1])), undefined);
});
