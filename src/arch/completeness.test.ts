import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EM_ARM } from '../elf/elf.js';
import { ARCHES, QEMU_ONLY_ARCHES, RELEASE_PLACEHOLDER } from './arch-table.js';
import type { ArchInfo, NamingFamily } from './arch-table.js';
import { archForNode } from './host.js';

// Every row must be complete for everything kpkg does with it: the deb and tar families (Debian
// name, kernel ARCH), rpm and pacman (their names, or a reason the refusal gives), the kernel
// build and Kconfig lookups, the ELF checks and smoke (identity, loader, qemu-user CPU).

const NAMING_FAMILIES: readonly NamingFamily[] = ['rpm', 'pacman'];

function familyName(family: NamingFamily, arch: ArchInfo): string | undefined {
  return family === 'rpm' ? arch.rpm?.name : arch.pacman;
}

/** Names that must each pick one row, with the rows using them. */
function duplicates(rows: readonly ArchInfo[], nameOf: (arch: ArchInfo) => string | undefined): string[] {
  const seen = new Map<string, string[]>();
  for (const arch of rows) {
    const name = nameOf(arch);
    if (name !== undefined) seen.set(name, [...(seen.get(name) ?? []), arch.debian]);
  }
  return [...seen].filter(([, users]) => users.length > 1).map(([name, users]) => `${name} (${users.join(', ')})`);
}

function familyProblems(arch: ArchInfo): string[] {
  const problems: string[] = [];
  for (const family of NAMING_FAMILIES) {
    const name = familyName(family, arch);
    const reason = arch.notPackaged?.[family];
    if (name === undefined && (reason === undefined || reason.trim() === ''))
      problems.push(`no ${family} name and no notPackaged.${family} reason`);
    if (name !== undefined && reason !== undefined)
      problems.push(`both a ${family} name and a notPackaged.${family} reason`);
    if (name === '') problems.push(`empty ${family} name`);
  }
  const rpm = arch.rpm;
  if (rpm !== undefined) {
    if (!Number.isInteger(rpm.archnum) || rpm.archnum <= 0)
      problems.push(`rpm archnum ${rpm.archnum} is not an arch_canon number`);
    if (rpm.isa === undefined || !rpm.isa.endsWith(`-${arch.elf.class}`))
      problems.push(`rpm isa ${String(rpm.isa)} does not end in -${arch.elf.class}`);
  }
  return problems;
}

function kernelProblems(arch: ArchInfo, rows: readonly ArchInfo[]): string[] {
  const problems: string[] = [];
  if (arch.kernelArch === '' || arch.srcArch === '') problems.push('no kernel ARCH or SRCARCH');
  if (!arch.srcArchSymbol.startsWith('CONFIG_'))
    problems.push(`srcArchSymbol ${arch.srcArchSymbol} is not a Kconfig symbol`);
  const siblings = rows.filter((a) => a.srcArch === arch.srcArch && a !== arch);
  if (siblings.some((a) => a.srcArchSymbol !== arch.srcArchSymbol))
    problems.push(`rows of SRCARCH ${arch.srcArch} disagree on its symbol`);
  if (rows.some((a) => a.srcArch !== arch.srcArch && a.srcArchSymbol === arch.srcArchSymbol))
    problems.push(`${arch.srcArchSymbol} also says another SRCARCH`);
  if (siblings.length > 0 && arch.kconfig.length === 0)
    problems.push(`shares SRCARCH ${arch.srcArch} but has no Kconfig conditions to tell it apart`);
  if (!arch.bootImage.builtPath.endsWith(arch.bootImage.makeTarget))
    problems.push(`boot image ${arch.bootImage.builtPath} is not what make ${arch.bootImage.makeTarget} builds`);
  if (
    !arch.bootInstallPath.startsWith(`/boot/${arch.bootImage.installName}-`) ||
    !arch.bootInstallPath.includes(RELEASE_PLACEHOLDER)
  ) {
    problems.push(
      `bootInstallPath ${arch.bootInstallPath} is not /boot/${arch.bootImage.installName}-${RELEASE_PLACEHOLDER}`,
    );
  }
  if (arch.crossPrefix !== `${arch.gnuTriplet}-`)
    problems.push(`crossPrefix ${arch.crossPrefix} is not the GNU triplet plus '-'`);
  if (arch.multiarch === '') problems.push('no multiarch directory');
  return problems;
}

function machineProblems(arch: ArchInfo, rows: readonly ArchInfo[]): string[] {
  const problems: string[] = [];
  if ((arch.elf.machine === EM_ARM) !== (arch.elf.armFloat !== undefined))
    problems.push('armFloat must be set exactly for EM_ARM rows');
  if (!arch.dynamicLoader.startsWith('/'))
    problems.push(`dynamic loader ${arch.dynamicLoader} is not an absolute path`);
  if (arch.qemuUser === '') problems.push('no qemu-user CPU');
  const system = arch.qemuSystem;
  if (
    system !== undefined &&
    (!system.binary.startsWith('qemu-system-') || !system.machineArgs.includes('-M') || system.console === '')
  ) {
    problems.push('qemuSystem needs a qemu-system-* binary, a -M machine and a console');
  }
  const floatAbi = arch.elf.armFloat === 'soft' ? 'soft' : undefined;
  if (archForNode(arch.nodeArch, arch.elf.endian === 'big' ? 'BE' : 'LE', floatAbi)?.debian !== arch.debian)
    problems.push(`Node's process.arch ${arch.nodeArch} does not lead back to this row`);
  for (const other of arch.alsoRuns ?? []) {
    if (other === arch.debian || !rows.some((a) => a.debian === other))
      problems.push(`alsoRuns ${other} is not another row`);
  }
  return problems;
}

/** Everything wrong with a table, one "<debian>: <problem>" line each; empty for a complete table. */
function tableProblems(rows: readonly ArchInfo[]): string[] {
  const problems = rows.flatMap((arch) =>
    [...familyProblems(arch), ...kernelProblems(arch, rows), ...machineProblems(arch, rows)].map(
      (p) => `${arch.debian}: ${p}`,
    ),
  );
  const unique: readonly [string, (arch: ArchInfo) => string | undefined][] = [
    ['Debian name', (a) => a.debian],
    ['rpm name', (a) => a.rpm?.name],
    ['pacman name', (a) => a.pacman],
    ['GNU triplet', (a) => a.gnuTriplet],
    ['multiarch directory', (a) => a.multiarch],
  ];
  for (const [what, nameOf] of unique)
    problems.push(...duplicates(rows, nameOf).map((d) => `${what} used twice: ${d}`));
  const qemuOnly = QEMU_ONLY_ARCHES.filter((q) => rows.some((a) => a.debian === q.debian));
  problems.push(...qemuOnly.map((q) => `${q.debian}: both a row and in QEMU_ONLY_ARCHES`));
  return problems;
}

function withoutRpm(arch: ArchInfo): ArchInfo {
  const copy = { ...arch };
  delete copy.rpm;
  return copy;
}

function withRow(debian: string, change: (arch: ArchInfo) => ArchInfo): ArchInfo[] {
  return ARCHES.map((a) => (a.debian === debian ? change(a) : a));
}

void describe('every row of the arch table is complete', () => {
  void it('has no problems', () => {
    assert.deepEqual(tableProblems(ARCHES), []);
  });

  void it('finds a family name missing without a reason, and a reason beside a name', () => {
    const noRpm = withRow('armel', withoutRpm);
    assert.deepEqual(tableProblems(noRpm), ['armel: no rpm name and no notPackaged.rpm reason']);
    const refused = withRow('armel', (a) => ({
      ...withoutRpm(a),
      notPackaged: { rpm: 'no rpm distribution runs on ARMv5' },
    }));
    assert.deepEqual(tableProblems(refused), []);
    const both = withRow('armel', (a) => ({ ...a, notPackaged: { pacman: 'discontinued' } }));
    assert.deepEqual(tableProblems(both), ['armel: both a pacman name and a notPackaged.pacman reason']);
  });

  void it('finds names two rows share, and family facts that do not fit', () => {
    assert.deepEqual(tableProblems(withRow('armel', (a) => ({ ...a, pacman: 'armv7h' }))), [
      'pacman name used twice: armv7h (armhf, armel)',
    ]);
    const rpm = withRow('ppc64', (a) => ({ ...a, rpm: { name: 'ppc64', archnum: 0, isa: 'ppc-32' } }));
    assert.deepEqual(tableProblems(rpm), [
      'ppc64: rpm archnum 0 is not an arch_canon number',
      'ppc64: rpm isa ppc-32 does not end in -64',
    ]);
  });

  void it('finds what smoke and the kernel build would miss', () => {
    assert.deepEqual(tableProblems(withRow('s390x', (a) => ({ ...a, qemuUser: '' }))), ['s390x: no qemu-user CPU']);
    assert.deepEqual(tableProblems(withRow('riscv64', (a) => ({ ...a, crossPrefix: 'riscv64-linux-gnu' }))), [
      "riscv64: crossPrefix riscv64-linux-gnu is not the GNU triplet plus '-'",
    ]);
    assert.deepEqual(tableProblems(withRow('armel', (a) => ({ ...a, kconfig: [] }))), [
      'armel: shares SRCARCH arm but has no Kconfig conditions to tell it apart',
    ]);
    assert.deepEqual(tableProblems(withRow('mips64el', (a) => ({ ...a, nodeArch: 'mips' }))), [
      "mips64el: Node's process.arch mips does not lead back to this row",
    ]);
    assert.deepEqual(tableProblems(withRow('amd64', (a) => ({ ...a, alsoRuns: ['x32'] }))), [
      'amd64: alsoRuns x32 is not another row',
    ]);
  });
});
