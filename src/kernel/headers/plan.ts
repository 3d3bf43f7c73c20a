import type { HeadersScan } from './scan.js';
import { toolProgramAt } from './tool-programs.js';

/** Which host programs of the headers tree are rebuilt for the target, and by which build. */
export interface RebuildPlan {
  /** Kbuild's host programs (their records are replayed: host-programs.ts), relative to the object tree. */
  kbuild: string[];
  /** Programs of the tools/ build system (tool-programs.ts). */
  tools: string[];
  /** Some of the Kbuild programs are GCC plugins: the target gcc's plugin headers are needed. */
  gccPlugins: boolean;
}

/**
 * The plan step: every foreign ELF file the kernel build made is rebuilt, by the build that made
 * it. Foreign files from the source tree are not build products: they stay, and the gate refuses
 * them. A native build plans nothing.
 */
export function planRebuild(scan: Pick<HeadersScan, 'files' | 'foreign'>): RebuildPlan {
  const built = scan.files.filter((e) => scan.foreign.has(e.path) && e.origin === 'objtree').map((e) => e.path);
  const kbuild = built.filter((path) => toolProgramAt(path) === undefined);
  const tools = built.filter((path) => toolProgramAt(path) !== undefined);
  return { kbuild, tools, gccPlugins: kbuild.some(isGccPlugin) };
}

/** Every program the plan rebuilds: Kbuild's, then the tools/ build's. */
export function plannedPrograms(plan: RebuildPlan): string[] {
  return [...plan.kbuild, ...plan.tools];
}

function isGccPlugin(path: string): boolean {
  return path.startsWith('scripts/gcc-plugins/') && path.endsWith('.so');
}
