/**
 * The machine the packages are for: --arch, else what the packages declare, else the kernel
 * configuration they ship, else what most of their ELF files are built for. The report says which
 * it was.
 *
 * The declared architecture comes before the configuration: it is the userland the package installs
 * into, where a headers tree's programs run, and it may rightly differ from the kernel's (Debian
 * i386's 64-bit linux-image-amd64, Raspberry Pi OS's arm64 kernels for armhf). A configuration that
 * disagrees with the target is a finding of its own (checks/kernel-config.ts), never dropped silently.
 */
import { describeIdentity, identityOf, type ElfIdentity } from '../elf/identity.js';
import { ARCHES, archesForElf, findArch, type ArchInfo } from '../arch/arch-table.js';
import { archDeclaredBy, isArchIndependent } from '../arch/families.js';
import { KpkgError } from '../util/errors.js';
import type { ReadPackage } from './model.js';
import { shippedConfigs, type ShippedConfig } from './shipped-configs.js';

export interface Target {
  arch?: ArchInfo;
  from: 'option' | 'metadata' | 'config' | 'elf' | 'none';
  /** How it was chosen, in words. */
  detail: string;
}

/** --arch: any name findArch knows; a name it cannot place is a usage error (exit status 2). */
export function targetFromOption(name: string): Target {
  const arch = findArch(name);
  if (arch === undefined) {
    const ambiguous = ARCHES.filter((a) => a.kernelArch === name || a.srcArch === name).map((a) => a.debian);
    throw new KpkgError(
      ambiguous.length > 1
        ? `--arch ${name} is ambiguous: it is the kernel architecture of ${ambiguous.join(' and ')}`
        : `--arch ${name}: unknown architecture`,
      { exitCode: 2, hint: `use a Debian, RPM, GNU or kernel name, e.g. ${ARCHES.map((a) => a.debian).join(', ')}` },
    );
  }
  return { arch, from: 'option', detail: `--arch ${name}` };
}

function fromMetadata(packages: readonly ReadPackage[]): Target | undefined {
  for (const pkg of packages) {
    if (pkg.arch === undefined || isArchIndependent(pkg.arch)) continue;
    const arch = archDeclaredBy(pkg.format, pkg.arch);
    if (arch !== undefined)
      return { arch, from: 'metadata', detail: `${pkg.archSource ?? 'architecture'} of ${pkg.name} (${pkg.arch})` };
  }
  return undefined;
}

/**
 * The first shipped configuration kpkg can place. Kconfig cannot tell armhf from armel (the float
 * ABI is userland's choice): where it allows both, most ELF files decide between them.
 */
function fromKernelConfig(packages: readonly ReadPackage[], configs: readonly ShippedConfig[]): Target | undefined {
  const config = configs.find((c) => c.arches.length > 0);
  const first = config?.arches[0];
  if (config === undefined || first === undefined) return undefined;
  const detail = `kernel configuration ${config.path} (${config.evidence})`;
  if (config.arches.length === 1) return { arch: first, from: 'config', detail };
  const byElf = fromElfMajority(packages, config.arches);
  const arch = byElf?.arch ?? first;
  const among = config.arches.map((a) => a.debian).join(' or ');
  return {
    arch,
    from: 'config',
    detail: `${detail}: ${among}, ${byElf === undefined ? `${arch.debian} by default` : `${arch.debian} by ${byElf.detail}`}`,
  };
}

/** The machine most ELF files are for, among `allowed` rows when given. */
function fromElfMajority(packages: readonly ReadPackage[], allowed: readonly ArchInfo[] = ARCHES): Target | undefined {
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
  const ranked = [...counts.values()].sort(
    (a, b) =>
      b.count - a.count || Number(b.identity.armFloat !== undefined) - Number(a.identity.armFloat !== undefined),
  );
  for (const { identity, count } of ranked) {
    const arch = archesForElf(identity).find((a) => allowed.includes(a));
    if (arch !== undefined)
      return { arch, from: 'elf', detail: `most ELF files: ${count} of ${total} are ${describeIdentity(identity)}` };
  }
  return undefined;
}

export function chooseTarget(
  archOption: string | undefined,
  packages: readonly ReadPackage[],
  configs: readonly ShippedConfig[] = shippedConfigs(packages),
): Target {
  if (archOption !== undefined) return targetFromOption(archOption);
  return (
    fromMetadata(packages) ??
    fromKernelConfig(packages, configs) ??
    fromElfMajority(packages) ?? {
      from: 'none',
      detail:
        'unknown: no --arch, no architecture in the package metadata, no kernel configuration and no ELF file of a known machine',
    }
  );
}
