/** Stages each kernel part (src/kernel/parts.ts) a run needs, in scratch directories removed by dispose(). */
import { join } from 'node:path';
import { stageHeaders } from '../kernel/headers/stage.js';
import type { TreeFacts } from '../kernel/inspect.js';
import { extractModuleDebugInfo } from '../kernel/install/debug-info.js';
import { stageImage, treeFile } from '../kernel/install/image-contents.js';
import type { KernelMakeContext } from '../kernel/install/kernel-make.js';
import { createScratchDir, type ScratchDir } from '../kernel/install/scratch.js';
import { installUapiHeaders } from '../kernel/install/uapi-headers.js';
import type { KernelPart, KernelParts } from '../kernel/parts.js';
import type { TargetLibraryChoice } from '../sysroot/target-libraries.js';
import { kpkgCacheDir } from '../util/cache.js';
import type { BuildStep } from './build-packages.js';

export interface PartsRun {
  facts: TreeFacts;
  ctx: KernelMakeContext;
  options: TargetLibraryChoice & {
    moduleStrip?: string | undefined;
    onStep?: ((step: BuildStep, detail: string) => void) | undefined;
    onCommand?: ((command: string) => void) | undefined;
  };
  jobs: number;
}

/** A staged part; its files stay on disk until dispose(). */
export interface StagedPart {
  parts: Partial<KernelParts>;
  dispose: () => Promise<void>;
}

async function inScratch(prefix: string, stage: (scratch: ScratchDir) => Promise<Partial<KernelParts>>): Promise<StagedPart> {
  const scratch = await createScratchDir(prefix);
  try {
    return { parts: await stage(scratch), dispose: scratch.dispose };
  } catch (e) {
    await scratch.dispose();
    throw e;
  }
}

/** System.map, .config and vmlinux, read where the build left them. */
export async function treeFiles(facts: TreeFacts): Promise<Pick<KernelParts, 'systemMap' | 'config' | 'vmlinux'>> {
  const { objtree } = facts.tree;
  return {
    systemMap: await treeFile(objtree, 'System.map', 'the symbol map'),
    config: await treeFile(objtree, '.config', 'the configuration'),
    vmlinux: await treeFile(objtree, 'vmlinux', 'the kernel ELF image'),
  };
}

export async function stagePart(run: PartsRun, part: KernelPart): Promise<StagedPart> {
  const { facts, options } = run;
  const { tree } = facts;
  switch (part) {
    case 'headers': {
      const headers = await stageHeaders(facts, {
        cacheDir: kpkgCacheDir(),
        jobs: run.jobs,
        pluginSysroot: options.pluginSysroot,
        sysroot: options.sysroot,
        mirror: options.mirror,
        targetSuite: options.targetSuite,
        targetGcc: options.targetGcc,
        ...(options.onStep === undefined ? {} : { onStep: options.onStep }),
        ...(options.onCommand === undefined ? {} : { onCommand: options.onCommand }),
      });
      return { parts: { headers }, dispose: headers.dispose };
    }
    case 'image':
      return inScratch('image', async (scratch) => ({
        image: await stageImage(facts, run.ctx, { scratch: scratch.path, moduleStrip: options.moduleStrip, jobs: run.jobs, onStep: (step, detail) => options.onStep?.(step, detail) }),
      }));
    case 'uapi':
      return inScratch('uapi', async (scratch) => {
        options.onStep?.('uapi', 'make headers_install into a staging directory (with a scratch object tree)');
        return { uapi: await installUapiHeaders(run.ctx, join(scratch.path, 'usr'), { scratchObjtree: join(scratch.path, 'obj'), jobs: run.jobs }) };
      });
    case 'debug': {
      const vmlinux = await treeFile(tree.objtree, 'vmlinux', 'the kernel ELF image');
      return inScratch('dbg', async (scratch) => {
        options.onStep?.('debug', 'objcopy --only-keep-debug of every module in modules.order');
        const modules = facts.features.modules ? await extractModuleDebugInfo(run.ctx, scratch.path, { jobs: run.jobs }) : [];
        return { debug: { vmlinux, modules } };
      });
    }
  }
}
