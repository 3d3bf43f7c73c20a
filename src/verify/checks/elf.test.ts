import assert from 'node:assert/strict';
import { test } from 'node:test';
import { archByDebian } from '../../arch/arch-table.js';
import { parseElf, type ElfReadResult } from '../../elf/elf.js';
import { EF_ARM_ABI_FLOAT_HARD, EF_ARM_ABI_FLOAT_SOFT } from '../../elf/identity.js';
import { FileSet } from '../../reader/file-set.js';
import type { HeadersTree } from '../../reader/headers-trees.js';
import type { Member } from '../../reader/model.js';
import { AARCH64_ELF, bareElf, X86_64_ELF, type BareElf } from '../../testing/bare-elf.js';
import { checkElfFiles } from './elf.js';

const H = '/usr/src/linux-headers-6.1';
const ARM_EABI5 = 0x05000000;
const ARM = { class: 32, endian: 'little', machine: 40 } as const;

function elf(spec: BareElf, interpreter?: string): ElfReadResult {
  const read = parseElf(bareElf(spec));
  assert.equal(read.kind, 'elf');
  return read.kind === 'elf' && interpreter !== undefined ? { kind: 'elf', elf: { ...read.elf, interpreter } } : read;
}

const member = (path: string, read: ElfReadResult): Member => ({
  path,
  type: 'file',
  size: 64,
  mode: 0o755,
  elf: read,
});
const set = (...members: Member[]): FileSet =>
  new FileSet([{ input: 'h.deb', format: 'deb', name: 'headers', members }]);
const tree: HeadersTree = { root: H, releases: [], package: 'headers', config: new Map(), areas: [H] };
const paths = (outcome: { findings: readonly { path?: string }[] }): (string | undefined)[] =>
  outcome.findings.map((f) => f.path);

test('wrong machine, wrong loader and damaged files, each under its own id', () => {
  const arm64 = archByDebian('arm64');
  const result = checkElfFiles(
    set(
      member(`${H}/scripts/basic/fixdep`, elf({ ...X86_64_ELF, type: 'DYN' })),
      member(`${H}/scripts/mod/modpost`, elf({ ...AARCH64_ELF, type: 'DYN' }, '/lib64/ld-linux-x86-64.so.2')),
      member(`${H}/scripts/sign-file`, elf({ ...AARCH64_ELF, type: 'DYN' }, arm64?.dynamicLoader)),
      member(`${H}/tools/objtool/objtool`, { kind: 'truncated', reason: 'ends inside the program headers' }),
    ),
    arm64,
    [tree],
  );
  assert.deepEqual(paths(result['elf-machine']), [`${H}/scripts/basic/fixdep`]);
  assert.match(result['elf-machine'].findings[0]?.message ?? '', /^built for .*x86-64.*, the target is .*AArch64/i);
  assert.deepEqual(paths(result['elf-interpreter']), [`${H}/scripts/mod/modpost`]);
  assert.equal(result['elf-interpreter'].findings[0]?.found, '/lib64/ld-linux-x86-64.so.2');
  assert.deepEqual(paths(result['elf-damaged']), [`${H}/tools/objtool/objtool`]);
  assert.equal(result['elf-machine'].note, '4 ELF files');
});

test('the ARM float ABI counts for programs, not for kernel objects (the kernel is built soft-float)', () => {
  const armhf = archByDebian('armhf');
  const soft = { ...ARM, flags: ARM_EABI5 | EF_ARM_ABI_FLOAT_SOFT };
  const result = checkElfFiles(
    set(
      member(`${H}/scripts/basic/fixdep`, elf({ ...soft, type: 'DYN' })),
      member('/lib/modules/6.1/kernel/a.ko', elf({ ...soft, type: 'REL' })),
      member('/boot/vmlinux-6.1', elf({ ...soft, type: 'EXEC' })),
      member(`${H}/scripts/ok`, elf({ ...ARM, flags: ARM_EABI5 | EF_ARM_ABI_FLOAT_HARD, type: 'DYN' })),
    ),
    armhf,
    [],
  );
  assert.deepEqual(paths(result['elf-machine']), [`${H}/scripts/basic/fixdep`]);
});

test('relocatable objects in a headers tree are leftovers, modules are not', () => {
  const result = checkElfFiles(
    set(
      member(`${H}/scripts/mod/empty.o`, elf({ ...AARCH64_ELF, type: 'REL' })),
      member(`${H}/a.ko`, elf({ ...AARCH64_ELF, type: 'REL' })),
      member('/usr/lib/x.o', elf({ ...AARCH64_ELF, type: 'REL' })),
    ),
    archByDebian('arm64'),
    [tree],
  );
  assert.deepEqual(paths(result['elf-relocatable']), [`${H}/scripts/mod/empty.o`]);
  assert.equal(checkElfFiles(set(), undefined, [])['elf-relocatable'].note, 'no headers tree');
});

test('without a target only damage is judged, and the target checks say to pass --arch', () => {
  const result = checkElfFiles(
    set(member('/x', elf({ ...X86_64_ELF, type: 'DYN' })), member('/y', { kind: 'invalid', reason: 'bad e_phoff' })),
    undefined,
    [],
  );
  assert.deepEqual(result['elf-machine'], {
    applicable: false,
    findings: [],
    note: 'the target is unknown: pass --arch',
  });
  assert.equal(result['elf-interpreter'].applicable, false);
  assert.deepEqual(
    result['elf-damaged'].findings.map((f) => f.message),
    ['not a usable ELF file: invalid: bad e_phoff'],
  );
  assert.equal(
    checkElfFiles(set(), archByDebian('arm64'), [])['elf-machine'].applicable,
    false,
    'no ELF file, nothing to check',
  );
});
