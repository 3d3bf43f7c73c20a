/**
 * elf-machine, elf-interpreter, elf-damaged, elf-relocatable: every ELF file in the set against
 * the target, through the same check as kpkg's own packaging gate (elf/audit.ts).
 */
import { checkElf, type ElfExpectation } from '../../elf/audit.js';
import type { ArchInfo } from '../../arch/arch-table.js';
import { counted, memberLocation, type CheckOutcome, type VerifyCheck } from '../check.js';
import type { FileSet, SetMember } from '../../reader/file-set.js';
import { finding, type Finding } from '../findings.js';
import { headersTreeAreas, type HeadersTree } from '../../reader/headers-trees.js';

type ElfId = 'elf-machine' | 'elf-interpreter' | 'elf-damaged' | 'elf-relocatable';

/**
 * Kernel-side files: modules and other relocatable objects, vmlinux, vDSOs, and anything under
 * /lib/modules or /boot. Their ARM float ABI is not compared: the kernel is built soft-float
 * (arch/arm/Makefile) even for armhf.
 */
export function isKernelObject(member: SetMember): boolean {
  if (member.elf?.kind === 'elf' && member.elf.elf.type === 'REL') return true;
  const base = member.path.slice(member.path.lastIndexOf('/') + 1);
  return (
    /^\/(usr\/)?lib\/modules\//.test(member.path) ||
    member.path.startsWith('/boot/') ||
    base.startsWith('vmlinux') ||
    /^vdso.*\.so(\.dbg)?$/.test(base)
  );
}

/** The finding for one ELF file against the target, if it has one; without a target only damage is judged. */
function judged(member: SetMember, expect: ElfExpectation | undefined): Finding | undefined {
  const read = member.elf;
  if (read === undefined) return undefined;
  const where = memberLocation(member);
  if (expect === undefined) {
    const damaged = read.kind === 'truncated' || read.kind === 'invalid';
    return damaged ? finding('elf-damaged', `not a usable ELF file: ${read.kind}: ${read.reason}`, where) : undefined;
  }
  const f = checkElf(member.path, read, expect, { kernelObject: isKernelObject(member) }).finding;
  if (f === undefined) return undefined;
  const detail = { ...where, found: f.found, expected: f.expected };
  if (f.problem === 'wrong-machine')
    return finding('elf-machine', `built for ${f.found}, the target is ${f.expected}`, detail);
  if (f.problem === 'wrong-interpreter')
    return finding('elf-interpreter', `asks for the dynamic loader ${f.found}, the target's is ${f.expected}`, detail);
  return finding('elf-damaged', `not a usable ELF file: ${f.found}`, detail);
}

/** A relocatable object (not a module) in a headers tree: a build leftover. */
function leftover(member: SetMember, inHeadersTree: (path: string) => boolean): Finding | undefined {
  if (member.elf?.kind !== 'elf' || member.elf.elf.type !== 'REL' || member.path.endsWith('.ko')) return undefined;
  if (!inHeadersTree(member.path)) return undefined;
  const message = `relocatable object ${member.elf.elf.machineName} in a headers tree: a build leftover, external module builds do not use it`;
  return finding('elf-relocatable', message, memberLocation(member));
}

export function checkElfFiles(
  set: FileSet,
  arch: ArchInfo | undefined,
  trees: readonly HeadersTree[],
): Record<ElfId, CheckOutcome> {
  const elves = [...set.all()].filter((m) => m.type === 'file' && m.elf !== undefined);
  const expect: ElfExpectation | undefined =
    arch === undefined ? undefined : { identity: arch.elf, interpreter: arch.dynamicLoader };
  const judgements = elves.map((m) => judged(m, expect)).filter((f) => f !== undefined);
  const of = (id: ElfId): Finding[] => judgements.filter((f) => f.check === id);
  const note = counted(elves.length, 'ELF file');
  const targeted = (id: 'elf-machine' | 'elf-interpreter'): CheckOutcome =>
    arch === undefined && elves.length > 0
      ? { applicable: false, findings: [], note: 'the target is unknown: pass --arch' }
      : { applicable: elves.length > 0, findings: of(id), note };
  const inHeadersTree = headersTreeAreas(trees);
  const leftovers = elves.map((m) => leftover(m, inHeadersTree)).filter((f) => f !== undefined);
  return {
    'elf-machine': targeted('elf-machine'),
    'elf-interpreter': targeted('elf-interpreter'),
    'elf-damaged': { applicable: elves.length > 0, findings: of('elf-damaged'), note },
    'elf-relocatable': {
      applicable: trees.length > 0,
      findings: leftovers,
      note: trees.length > 0 ? undefined : 'no headers tree',
    },
  };
}

export const elfCheck: VerifyCheck<ElfId> = {
  title: 'every ELF file against the target',
  ids: ['elf-machine', 'elf-interpreter', 'elf-damaged', 'elf-relocatable'],
  run: ({ set, target, trees }) => checkElfFiles(set, target.arch, trees),
};
