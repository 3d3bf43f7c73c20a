/**
 * elf-machine, elf-interpreter, elf-damaged, elf-relocatable: every ELF file in the set against
 * the target, through the same check as kpkg's own packaging gate (elf/audit.ts).
 */
import { checkElf, type ElfExpectation } from '../../elf/audit.js';
import type { ArchInfo } from '../../arch/arch-table.js';
import type { FileSet, SetMember } from '../file-set.js';
import { finding, type CheckResult, type Finding } from '../findings.js';
import { inHeadersTree, type HeadersTree } from '../headers-trees.js';

/**
 * Kernel-side files: modules and other relocatable objects, vmlinux, vDSOs, and anything under
 * /lib/modules or /boot. Their ARM float ABI is not compared: the kernel is built soft-float
 * (arch/arm/Makefile) even for armhf.
 */
export function isKernelObject(member: SetMember): boolean {
  if (member.elf?.kind === 'elf' && member.elf.elf.type === 'REL') return true;
  const base = member.path.slice(member.path.lastIndexOf('/') + 1);
  return /^\/(usr\/)?lib\/modules\//.test(member.path) || member.path.startsWith('/boot/') || base.startsWith('vmlinux') || /^vdso.*\.so(\.dbg)?$/.test(base);
}

export interface ElfResults {
  machine: CheckResult;
  interpreter: CheckResult;
  damaged: CheckResult;
  relocatable: CheckResult;
  /** How many ELF files the set has. */
  elfCount: number;
}

export function checkElfFiles(set: FileSet, arch: ArchInfo | undefined, trees: readonly HeadersTree[]): ElfResults {
  const elves = [...set.all()].filter((m) => m.type === 'file' && m.elf !== undefined);
  const byId = { 'elf-machine': [] as Finding[], 'elf-interpreter': [] as Finding[], 'elf-damaged': [] as Finding[], 'elf-relocatable': [] as Finding[] };
  const note = `${elves.length} ELF file${elves.length === 1 ? '' : 's'}`;
  const expect: ElfExpectation | undefined = arch === undefined ? undefined : { identity: arch.elf, interpreter: arch.dynamicLoader };
  for (const member of elves) {
    const read = member.elf;
    if (read === undefined) continue;
    const where = { path: member.path, package: member.pkg.name };
    if (expect === undefined) {
      // Without a target only damage can be judged.
      if (read.kind === 'truncated' || read.kind === 'invalid') byId['elf-damaged'].push(finding('elf-damaged', `not a usable ELF file: ${read.kind}: ${read.reason}`, where));
      continue;
    }
    const f = checkElf(member.path, read, expect, { kernelObject: isKernelObject(member) }).finding;
    if (f === undefined) continue;
    const detail = { ...where, found: f.found, expected: f.expected };
    if (f.problem === 'wrong-machine') byId['elf-machine'].push(finding('elf-machine', `built for ${f.found}, the target is ${f.expected}`, detail));
    else if (f.problem === 'wrong-interpreter') byId['elf-interpreter'].push(finding('elf-interpreter', `asks for the dynamic loader ${f.found}, the target's is ${f.expected}`, detail));
    else byId['elf-damaged'].push(finding('elf-damaged', `not a usable ELF file: ${f.found}`, detail));
  }
  for (const member of elves) {
    if (member.elf?.kind !== 'elf' || member.elf.elf.type !== 'REL' || member.path.endsWith('.ko')) continue;
    if (!inHeadersTree(member.path, trees)) continue;
    byId['elf-relocatable'].push(
      finding('elf-relocatable', `relocatable object ${member.elf.elf.machineName} in a headers tree: a build leftover, external module builds do not use it`, {
        path: member.path,
        package: member.pkg.name,
      }),
    );
  }
  const noTarget = 'the target is unknown: pass --arch';
  const targeted = (id: 'elf-machine' | 'elf-interpreter'): CheckResult =>
    arch === undefined && elves.length > 0 ? { id, applicable: false, findings: [], note: noTarget } : { id, applicable: elves.length > 0, findings: byId[id], note };
  return {
    machine: targeted('elf-machine'),
    interpreter: targeted('elf-interpreter'),
    damaged: { id: 'elf-damaged', applicable: elves.length > 0, findings: byId['elf-damaged'], note },
    relocatable: { id: 'elf-relocatable', applicable: trees.length > 0, findings: byId['elf-relocatable'], ...(trees.length > 0 ? {} : { note: 'no headers tree' }) },
    elfCount: elves.length,
  };
}
