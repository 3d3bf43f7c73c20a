/**
 * The machine the packages are for: --arch, else what the packages declare, else what most of
 * their ELF files are built for. The report says which of the three it was.
 */
import { describeIdentity, identityOf, type ElfIdentity } from '../elf/identity.js';
import { ARCHES, archesForElf, findArch, type ArchInfo } from '../kernel/arch-table.js';
import { KpkgError } from '../util/errors.js';
import type { ReadPackage } from './model.js';

export interface Target {
  arch?: ArchInfo;
  from: 'option' | 'metadata' | 'elf' | 'none';
  /** How it was chosen, in words. */
  detail: string;
}

/** Architecture names that mean "any machine": Debian all, RPM noarch, pacman any. */
export const ARCH_INDEPENDENT = new Set(['all', 'noarch', 'any']);

/** --arch: any name findArch knows; a name it cannot place is a usage error (exit status 2). */
export function targetFromOption(name: string): Target {
  const arch = findArch(name);
  if (arch === undefined) {
    const ambiguous = ARCHES.filter((a) => a.kernelArch === name || a.srcArch === name).map((a) => a.debian);
    throw new KpkgError(
      ambiguous.length > 1 ? `--arch ${name} is ambiguous: it is the kernel architecture of ${ambiguous.join(' and ')}` : `--arch ${name}: unknown architecture`,
      { exitCode: 2, hint: `use a Debian, RPM, GNU or kernel name, e.g. ${ARCHES.map((a) => a.debian).join(', ')}` },
    );
  }
  return { arch, from: 'option', detail: `--arch ${name}` };
}

function fromMetadata(packages: readonly ReadPackage[]): Target | undefined {
  for (const pkg of packages) {
    if (pkg.arch === undefined || ARCH_INDEPENDENT.has(pkg.arch)) continue;
    const arch = findArch(pkg.arch);
    if (arch !== undefined) return { arch, from: 'metadata', detail: `${pkg.archSource ?? 'architecture'} of ${pkg.name} (${pkg.arch})` };
  }
  return undefined;
}

function fromElfMajority(packages: readonly ReadPackage[]): Target | undefined {
  const counts = new Map<string, { identity: ElfIdentity; count: number }>();
  let total = 0;
  for (const pkg of packages) {
    for (const member of pkg.members) {
      if (member.elf?.kind !== 'elf') continue;
      const identity = identityOf(member.elf.elf);
      const key = describeIdentity(identity);
      const entry = counts.get(key) ?? { identity, count: 0 };
      entry.count++;
      counts.set(key, entry);
      total++;
    }
  }
  // Most files first; among equals, one with an ARM float ABI (it tells armhf from armel).
  const ranked = [...counts.values()].sort((a, b) => b.count - a.count || Number(b.identity.armFloat !== undefined) - Number(a.identity.armFloat !== undefined));
  for (const { identity, count } of ranked) {
    const arch = archesForElf(identity)[0];
    if (arch !== undefined) return { arch, from: 'elf', detail: `most ELF files: ${count} of ${total} are ${describeIdentity(identity)}` };
  }
  return undefined;
}

export function chooseTarget(archOption: string | undefined, packages: readonly ReadPackage[]): Target {
  if (archOption !== undefined) return targetFromOption(archOption);
  return (
    fromMetadata(packages) ??
    fromElfMajority(packages) ?? { from: 'none', detail: 'unknown: no --arch, no architecture in the package metadata and no ELF file of a known machine' }
  );
}
