/**
 * The kernel configurations a package set ships and the machines they are for: a headers tree's
 * include/config/auto.conf (what Kbuild builds external modules with), its .config, its
 * include/generated/autoconf.h, and an image package's /boot/config-<release>. Their texts are
 * kept while the packages are read (collect.ts), so nothing is read twice.
 * (include/generated/utsrelease.h names the release only, not the machine.)
 */
import { archesForKernelConfig, type ConfiguredArch } from '../arch/kconfig.js';
import { parseAutoconfHeader, parseKconfig } from '../kernel/kconfig.js';
import type { ReadPackage } from './model.js';

export interface ShippedConfig extends ConfiguredArch {
  /** Install path of the file it was read from. */
  path: string;
  /** The package that ships it. */
  package: string;
}

interface ConfigKind {
  /** The directory the configuration belongs to (a headers tree's root), or undefined: not this kind. */
  owner: (path: string) => string | undefined;
  parse: (text: string) => Map<string, string>;
}

function withSuffix(suffix: string): (path: string) => string | undefined {
  return (path) => (path.endsWith(suffix) ? path.slice(0, -suffix.length) || '/' : undefined);
}

/** Most authoritative first: a tree that ships several is described by the first. */
const KINDS: readonly ConfigKind[] = [
  { owner: withSuffix('/include/config/auto.conf'), parse: parseKconfig },
  { owner: withSuffix('/.config'), parse: parseKconfig },
  { owner: withSuffix('/include/generated/autoconf.h'), parse: parseAutoconfHeader },
  { owner: (path) => (/^\/(?:usr\/)?boot\/config-[^/]+$/.test(path) ? path : undefined), parse: parseKconfig },
];

/** Whether verify keeps a member's text because it may be a kernel configuration. */
export function isKernelConfigPath(path: string): boolean {
  return KINDS.some((kind) => kind.owner(path) !== undefined);
}

/**
 * One entry per configured tree (per /boot/config-* file) naming an architecture, sorted by
 * path; files that name no architecture (a `.config` of something else) are left out.
 */
export function shippedConfigs(packages: readonly ReadPackage[]): ShippedConfig[] {
  const best = new Map<string, { rank: number; config: ShippedConfig }>();
  for (const pkg of packages) {
    for (const member of pkg.members) {
      if (member.type !== 'file' || member.text === undefined) continue;
      const rank = KINDS.findIndex((kind) => kind.owner(member.path) !== undefined);
      const kind = KINDS[rank];
      const owner = kind?.owner(member.path);
      if (kind === undefined || owner === undefined) continue;
      const previous = best.get(owner);
      if (previous !== undefined && previous.rank <= rank) continue;
      const configured = archesForKernelConfig(kind.parse(member.text));
      if (configured !== undefined)
        best.set(owner, { rank, config: { ...configured, path: member.path, package: pkg.name } });
    }
  }
  return [...best.values()].map((b) => b.config).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
