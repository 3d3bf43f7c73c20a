/**
 * The headers package's run-time relations: what its rebuilt programs need on the target (the
 * staged headers' needs and plugin compiler), in the layout's package names, found in the target's
 * package data (sysroot/target-roots.ts). Asked for once a run, by the first package that holds
 * the headers part (package-stages.ts).
 */
import { describeCompiler } from '../kernel/headers/gcc-plugins.js';
import type { StagedHeaders } from '../kernel/headers/stage.js';
import type { TreeFacts } from '../kernel/inspect.js';
import type { DistributionLayout } from '../layouts/layout.js';
import type { Dependency, PackageRelation } from '../package/model.js';
import type { TargetLibraries, TargetLibraryChoice } from '../sysroot/target-libraries.js';
import { targetPackageRoots } from '../sysroot/target-roots.js';
import { kpkgCacheDir } from '../util/cache.js';
import type { BuildStep } from './build-types.js';

export interface HeadersRelations {
  /** As the layout gave them, for the packages' descriptions. */
  relations: readonly Dependency[];
  /** The same as text, for the run's result ("libc6 (>= 2.34)"). */
  depends: string[];
  warnings: string[];
  /** The gcc build the GCC plugins load into (with plugins). */
  pluginCompiler?: string | undefined;
}

export interface RelationsRequest extends TargetLibraryChoice {
  onStep?: ((step: BuildStep, detail: string) => void) | undefined;
  onCommand?: ((command: string) => void) | undefined;
}

/** One relation as a line of text: "name", "name (op version)", alternatives joined by " | ". */
export function relationText(dependency: Dependency): string {
  const one = (r: PackageRelation): string =>
    r.version === undefined ? r.name : `${r.name} (${r.version.op} ${r.version.version})`;
  return Array.isArray(dependency)
    ? (dependency as readonly PackageRelation[]).map(one).join(' | ')
    : one(dependency as PackageRelation);
}

export async function headersRelations<Kind extends string>(
  layout: DistributionLayout<Kind>,
  facts: TreeFacts,
  headers: StagedHeaders,
  libraries: TargetLibraries | undefined,
  request: RelationsRequest,
): Promise<HeadersRelations> {
  const { needs, compiler, pluginCompiler } = headers;
  const onStep = (detail: string): void => request.onStep?.('depends', detail);
  onStep(
    `what the headers' programs need on the target: ${needs.libraries.map((l) => l.soname).join(', ') || 'no shared library'}${pluginCompiler === undefined ? '' : `, and ${describeCompiler(pluginCompiler)} for the GCC plugins`}`,
  );
  const roots = await targetPackageRoots({
    ...request,
    debianArch: facts.arch.debian,
    libraries,
    native: !facts.cross,
    cacheDir: kpkgCacheDir(),
    onStep,
  });
  const found = await layout.runtimeRelations({ needs, compiler, pluginCompiler }, roots);
  const depends = found.depends.map(relationText);
  for (const w of found.warnings) onStep(`warning: ${w}`);
  if (depends.length > 0) onStep(depends.join(', '));
  return {
    relations: found.depends,
    depends,
    warnings: found.warnings,
    ...(pluginCompiler === undefined ? {} : { pluginCompiler: describeCompiler(pluginCompiler) }),
  };
}
