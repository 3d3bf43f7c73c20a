/**
 * What a kernel configuration says about the architecture, from the rows' Kconfig facts: the
 * row of a configured tree, and the boot image it builds.
 */
import { KpkgError } from '../util/errors.js';
import { ARCHES, RELEASE_PLACEHOLDER } from './arch-table.js';
import type { ArchInfo, BootImage, KconfigCondition } from './arch-table.js';

/** ARCH names the top Makefile folds onto an arch/ directory of another name, for kernels no row is for. */
const SRCARCH_OF_OTHER_ARCH: Readonly<Record<string, string>> = {
  sparc32: 'sparc',
  sparc64: 'sparc',
  parisc64: 'parisc',
  sh64: 'sh',
};

/** The arch/ directory (SRCARCH) of an ARCH= value, as the top Makefile's SRCARCH assignments fold it. */
export function srcArchOf(kernelArch: string): string {
  return (
    ARCHES.find((arch) => arch.kernelArch === kernelArch)?.srcArch ??
    (Object.hasOwn(SRCARCH_OF_OTHER_ARCH, kernelArch) ? SRCARCH_OF_OTHER_ARCH[kernelArch] : undefined) ??
    kernelArch
  );
}

/** '/boot/vmlinuz-6.12.9-arm64' style path of the boot image for one kernel release. */
export function bootInstallPathFor(arch: ArchInfo, release: string): string {
  return arch.bootInstallPath.replace(RELEASE_PLACEHOLDER, release);
}

function holds(condition: KconfigCondition, config: ReadonlyMap<string, string>): boolean {
  return (config.get(condition.symbol) === 'y') === condition.enabled;
}

function allHold(conditions: readonly KconfigCondition[], config: ReadonlyMap<string, string>): boolean {
  return conditions.every((c) => holds(c, config));
}

function describeCondition(c: KconfigCondition): string {
  return c.enabled ? `${c.symbol}=y` : `${c.symbol} not set`;
}

function describeActual(symbol: string, config: ReadonlyMap<string, string>): string {
  const value = config.get(symbol);
  return value === undefined || value === 'n' ? `${symbol} not set` : `${symbol}=${value}`;
}

export interface ConfiguredArch {
  /** SRCARCH, from its symbol. */
  srcArch: string;
  /** Rows of that SRCARCH whose conditions hold, in table order (armhf and armel both for an ARMv7 VFP kernel); empty when none does. */
  arches: ArchInfo[];
  /** The symbols that decided it, e.g. "CONFIG_ARM64=y, CONFIG_CPU_BIG_ENDIAN not set". */
  evidence: string;
}

/**
 * What a kernel configuration (its Kconfig symbols, as for archForKernelConfig) is for, from the
 * configuration alone: undefined when it names no architecture kpkg knows.
 */
export function archesForKernelConfig(config: ReadonlyMap<string, string>): ConfiguredArch | undefined {
  const known = ARCHES.find((a) => config.get(a.srcArchSymbol) === 'y');
  if (known === undefined) return undefined;
  const { srcArchSymbol: symbol, srcArch } = known;
  const rows = ARCHES.filter((a) => a.srcArch === srcArch);
  const arches = rows.filter((a) => allHold(a.kconfig, config));
  const symbols = [...new Set((arches[0] ?? rows[0])?.kconfig.map((c) => c.symbol) ?? [])];
  const evidence = [`${symbol}=y`, ...(arches.length > 0 ? symbols.map((s) => describeActual(s, config)) : [])].join(
    ', ',
  );
  return { srcArch, arches, evidence: arches.length > 0 ? evidence : `${evidence}; ${unmatchedConfig(rows, config)}` };
}

/** Why no row of the candidates fits: what each needs and what the configuration has. */
function unmatchedConfig(candidates: readonly ArchInfo[], config: ReadonlyMap<string, string>): string {
  const needs = candidates.map((a) => `${a.debian} needs ${a.kconfig.map(describeCondition).join(', ')}`).join('; ');
  const symbols = [...new Set(candidates.flatMap((a) => a.kconfig.map((c) => c.symbol)))];
  return `${needs}; the tree has ${symbols.map((s) => describeActual(s, config)).join(', ')}`;
}

/**
 * Picks the row for a configured kernel tree from its ARCH or SRCARCH and its Kconfig symbols
 * (keys like 'CONFIG_64BIT', values 'y'/'m'/string, unset symbols absent). Throws KpkgError
 * naming the symbols when the configuration is one kpkg does not package for.
 */
export function archForKernelConfig(arch: string, config: ReadonlyMap<string, string>): ArchInfo {
  const key = arch.trim().toLowerCase();
  const candidates = ARCHES.filter((a) => a.srcArch === key || a.kernelArch === key);
  if (candidates.length === 0) {
    const known = [...new Set(ARCHES.flatMap((a) => [a.srcArch, a.kernelArch]))].join(', ');
    throw new KpkgError(`kpkg does not support kernel architecture '${arch}'`, {
      hint: `kpkg packages kernels built with ARCH= one of: ${known}`,
    });
  }
  const match = candidates.find((a) => allHold(a.kconfig, config));
  if (match !== undefined) return match;

  throw new KpkgError(
    `this ${candidates[0]?.srcArch ?? key} kernel configuration is not one kpkg packages for: ${unmatchedConfig(candidates, config)}`,
    {
      hint: "check the tree's .config (include/config/auto.conf) or configure the kernel for a supported architecture",
    },
  );
}

/**
 * The boot image a configured tree builds, mirroring KBUILD_IMAGE in arch/<srcarch>/Makefile.
 * For a tree at hand, `make -s image_name` (what scripts/package/builddeb uses) is the authority;
 * this is for planning before or without running make.
 */
export function bootImageForConfig(arch: ArchInfo, config: ReadonlyMap<string, string>): BootImage {
  const variant = arch.bootImageVariants.find((v) => allHold(v.when, config));
  if (variant === undefined) return arch.bootImage;
  return {
    makeTarget: variant.image,
    builtPath: `arch/${arch.srcArch}/boot/${variant.image}`,
    installName: arch.bootImage.installName,
  };
}
