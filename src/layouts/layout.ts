/**
 * A distribution layout: how one packaging family (Debian, RPM-based, Arch, a plain tarball)
 * splits a kernel's parts into packages — names, install paths, relations, scripts, metadata
 * files — as format-neutral descriptions for a container writer (src/formats/). A layout knows
 * kernel parts (src/kernel/parts.ts) and nothing of containers.
 */
import type { ArchInfo } from '../arch/arch-table.js';
import type { PackagingFeatures } from '../kernel/features.js';
import type { KernelPart, KernelParts } from '../kernel/parts.js';
import type { RuntimeNeeds } from '../elf/needs.js';
import type { KernelCompiler } from '../kernel/compiler.js';
import type { PluginCompiler } from '../kernel/headers/gcc-plugins.js';
import type { FamilyId } from '../package/family.js';
import type { Dependency, PackageDescription } from '../package/model.js';
import type { SetDescription } from '../package/upload.js';
import type { TargetPackageRoots } from '../sysroot/target-roots.js';
import { KpkgError } from '../util/errors.js';
import type { PackageSet } from './package-set.js';

/** The features that decide which packages apply to a tree. */
export type LayoutFeatures = Pick<PackagingFeatures, 'modules' | 'debugInfo'>;

export interface LayoutContext {
  arch: ArchInfo;
  set: PackageSet;
  /** The headers package's run-time relations, as runtimeRelations() gave them (empty without one). */
  runtime: readonly Dependency[];
}

/**
 * What a headers tree needs on the target: the shared libraries of its programs, the compiler modules
 * are built with (the kernel's), and the gcc build that loads its plugins.
 */
export interface HeadersRuntime {
  needs: RuntimeNeeds;
  compiler?: KernelCompiler | undefined;
  pluginCompiler?: PluginCompiler | undefined;
}

export interface RuntimeRelations {
  depends: Dependency[];
  /** What no relation could be found for, with what was assumed instead: shown as warnings. */
  warnings: string[];
}

export interface DistributionLayout<Kind extends string = string> {
  /** The family, as the CLI names it: 'deb', 'rpm', 'pacman', 'tar'. */
  readonly family: FamilyId;
  /** Every package kind, in the order packages are written. */
  readonly kinds: readonly Kind[];
  /** The kernel parts a kind is made of. */
  partsOf(kind: Kind): readonly KernelPart[];
  /** Why a kind does not apply to a tree (undefined: it applies). */
  notApplicable(kind: Kind, features: LayoutFeatures): string | undefined;
  /**
   * The relations that bring the headers' programs what they need on the target: this family's
   * names for its libraries (from the target's package data where it needs it), for the kernel's
   * compiler (its CompilerConvention, ./compiler.ts), and the gcc build that loads its GCC plugins
   * where the family can name it.
   */
  runtimeRelations(runtime: HeadersRuntime, target: TargetPackageRoots): Promise<RuntimeRelations>;
  /** The package of one kind; `parts` holds at least partsOf(kind). */
  describe(kind: Kind, parts: KernelParts, context: LayoutContext): PackageDescription;
  /** The source-level facts of the set, for formats that describe a set as a whole (Debian uploads). */
  describeSet?(context: Omit<LayoutContext, 'runtime'>): SetDescription;
}

/** The part a layout needs, or an internal error: the pipeline stages partsOf(kind) before describe(). */
export function requirePart<P extends KernelPart>(parts: KernelParts, part: P): NonNullable<KernelParts[P]> {
  const value = parts[part];
  if (value === undefined) throw new Error(`internal: the ${part} part was not staged`);
  return value;
}

/** A comma-separated --only list, checked against the layout's kinds and returned in write order. */
export function parseOnly<Kind extends string>(layout: DistributionLayout<Kind>, list: string): Kind[] {
  const kinds = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (kinds.length === 0)
    throw new KpkgError('--only needs at least one package', {
      hint: `choose from: ${layout.kinds.join(', ')}`,
      exitCode: 2,
    });
  for (const k of kinds) {
    if (!(layout.kinds as readonly string[]).includes(k)) {
      throw new KpkgError(`unknown package "${k}" in --only`, {
        hint: `choose from: ${layout.kinds.join(', ')}`,
        exitCode: 2,
      });
    }
  }
  return layout.kinds.filter((k) => kinds.includes(k));
}

/** The kinds to write: `only` (each must apply), or every kind that applies. */
export function selectKinds<Kind extends string>(
  layout: DistributionLayout<Kind>,
  features: LayoutFeatures,
  only: readonly Kind[] | undefined,
): Kind[] {
  if (only === undefined) return layout.kinds.filter((k) => layout.notApplicable(k, features) === undefined);
  for (const kind of only) {
    const reason = layout.notApplicable(kind, features);
    if (reason !== undefined)
      throw new KpkgError(`cannot write the ${kind} package: ${reason}`, { hint: 'drop it from --only', exitCode: 2 });
  }
  return layout.kinds.filter((k) => only.includes(k));
}

/** The reasons shared by every layout: a headers package needs CONFIG_MODULES, a debug package CONFIG_DEBUG_INFO. */
export const NOT_APPLICABLE = {
  headers: (features: LayoutFeatures): string | undefined =>
    features.modules
      ? undefined
      : 'the kernel is built without CONFIG_MODULES, so there is nothing to build modules against',
  debug: (features: LayoutFeatures): string | undefined =>
    features.debugInfo ? undefined : 'the kernel is built without CONFIG_DEBUG_INFO, so there is no debug info to ship',
} as const;

/** For families whose packages carry no relations (a plain tarball). */
export function noRuntimeRelations(): Promise<RuntimeRelations> {
  return Promise.resolve({ depends: [], warnings: [] });
}
