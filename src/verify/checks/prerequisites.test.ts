import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Member, ReadPackage } from '../../reader/model.js';
import { checkPrerequisites } from './prerequisites.js';

const H = '/usr/src/linux-headers-6.1';

function program(path: string, needed: string[], soname?: string): Member {
  return {
    path,
    type: 'file',
    size: 64,
    mode: 0o755,
    dynamic: { needed, ...(soname === undefined ? {} : { soname }) },
  };
}

const PROGRAMS = [
  program(`${H}/scripts/sign-file`, ['libcrypto.so.3', 'libc.so.6']),
  program(`${H}/tools/objtool/objtool`, ['libelf.so.1', 'libc.so.6']),
  program(`${H}/scripts/extract-cert`, ['libown.so.1']),
  program(`${H}/lib/libown.so.1`, [], 'libown.so.1'),
];

const pkg = (format: ReadPackage['format'], requires: string[][] | undefined, byKpkg: boolean): ReadPackage => ({
  input: `h.${format}`,
  format,
  name: 'headers',
  members: PROGRAMS,
  byKpkg,
  ...(requires === undefined ? {} : { requires }),
});

test("a .deb must depend on each needed library's package; the set's own libraries need nothing", () => {
  const result = checkPrerequisites([pkg('deb', [['libc6'], ['libssl3t64', 'libssl3']], true)], undefined);
  assert.deepEqual(
    result.prerequisites.findings.map((f) => [f.path, f.message, f.found, f.expected]),
    [
      [
        `${H}/tools/objtool/objtool`,
        `${H}/tools/objtool/objtool needs libelf.so.1, but headers declares no dependency that provides it`,
        'libelf.so.1',
        'libelf1 | libelf1t64',
      ],
    ],
  );
  assert.deepEqual(result['prerequisites-other'].findings, []);
});

test("rpm names sonames themselves; pacman the Arch package; others' packages only warn", () => {
  const rpm = checkPrerequisites([pkg('rpm', [['libc.so.6()(64bit)'], ['libelf.so.1()(64bit)']], false)], undefined);
  assert.deepEqual(rpm.prerequisites.findings, []);
  assert.deepEqual(
    rpm['prerequisites-other'].findings.map((f) => [f.found, f.expected]),
    [['libcrypto.so.3', 'libcrypto.so.3()']],
  );
  const pacman = checkPrerequisites([pkg('pacman', [['glibc'], ['openssl']], true)], undefined);
  assert.deepEqual(
    pacman.prerequisites.findings.map((f) => [f.found, f.expected]),
    [['libelf.so.1', 'libelf']],
  );
});

test('a tarball declares nothing: the checks do not apply', () => {
  const result = checkPrerequisites([pkg('tar', undefined, true)], undefined);
  assert.deepEqual(result.prerequisites, {
    applicable: false,
    findings: [],
    note: 'no package declares relations (a tarball or directory)',
  });
});
