/**
 * Test helper (not used by kpkg itself): checks shared by the ELF readers' fast unit tests
 * (synthetic input) and their *.slow.test.ts siblings (binaries from the real cross toolchains).
 */
import assert from 'node:assert/strict';
import type { DynamicInfo } from '../elf/dynamic.js';
import type { ElfInfo, ElfReadResult } from '../elf/elf.js';
import { Random } from './random.js';

/** A seeded generator of numbers in [0, 1), so failures reproduce. */
export function prng(seed: number): () => number {
  const random = new Random(seed);
  return () => random.fraction();
}

/** The ELF of an 'elf' read result; any other result fails the test. */
export function expectElf(result: ElfReadResult): ElfInfo {
  assert.equal(result.kind, 'elf', `expected an ELF, got ${JSON.stringify(result)}`);
  if (result.kind !== 'elf') throw new Error('unreachable');
  return result.elf;
}

/** Whatever parseDynamic returns is either undefined or well-formed. */
export function assertWellFormedDynamic(info: DynamicInfo | undefined): void {
  if (info === undefined) return;
  assert.ok(info.elfClass === 32 || info.elfClass === 64);
  assert.ok(Array.isArray(info.needed) && info.needed.every((n) => typeof n === 'string' && n !== ''));
  assert.ok(info.soname === undefined || typeof info.soname === 'string');
  for (const s of info.imports) {
    assert.ok(typeof s.name === 'string' && s.name !== '');
    assert.equal(typeof s.weak, 'boolean');
    assert.ok(s.version === undefined || typeof s.version === 'string');
    assert.ok(s.library === undefined || s.version !== undefined);
  }
}
