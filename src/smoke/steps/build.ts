/**
 * The steps that build against the installed headers on the emulated target: the requested DKMS
 * packages with dkms (only with --dkms), then the out-of-tree module with
 * make -C /lib/modules/<release>/build M=<dir> modules.
 */
import { relative } from 'node:path';
import { buildDkmsModules } from '../dkms.js';
import { findForeignBinaries, foreignSummary } from '../foreign-binaries.js';
import { findKoFiles } from '../ko-files.js';
import { resolveInRoot } from '../path-in-root.js';
import { sampleModuleDir } from '../sample-module-dir.js';
import type { SmokeTarget } from '../target.js';
import { done, failed, need, type Step } from './step.js';

/** Where the module's source is copied, and built, in the rootfs. */
export const MODULE_DIR_IN_ROOT = '/tmp/kpkg-sample';

/** How many foreign programs a build failure names. */
const FOREIGN_NAMED_ON_BUILD_FAILURE = 5;

/**
 * "fixdep: not found" for a file that is there puzzles people: after a failed build, the
 * programs under buildDir that are not target binaries, or '' when there are none.
 */
async function foreignProgramsNote(target: SmokeTarget, buildDir: string, debianArch: string): Promise<string> {
  const foreign = await findForeignBinaries(target.root, buildDir, debianArch);
  return foreign.length === 0 ? '' : foreignSummary(foreign, debianArch, FOREIGN_NAMED_ON_BUILD_FAILURE);
}

export const dkmsStep: Step<'dkms'> = {
  name: 'dkms',
  wanted: (input) => input.dkms !== undefined && input.dkms.length > 0,
  async run({ input, facts }) {
    const target = need(facts, 'target', 'dkms');
    const dkms = await buildDkmsModules(target.root, target.run, input.dkms ?? [], input.release);
    const failures = dkms.filter((d) => !d.ok);
    if (failures.length === 0) return done({ dkms });
    const foreign = await foreignProgramsNote(target, need(facts, 'buildDir', 'dkms'), input.debianArch);
    const tails = failures.map((d) => `== ${d.package} (${d.module}/${d.version}) failed:\n${d.logTail ?? ''}`);
    return failed([...tails, ...(foreign === '' ? [] : [foreign])].join('\n'), { dkms });
  },
};

export const buildModuleStep: Step<'build module'> = {
  name: 'build module',
  async run({ input, facts }) {
    const target = need(facts, 'target', 'build module');
    const buildDir = need(facts, 'buildDir', 'build module');
    const copied = await target.put({ contentsOf: input.moduleDir ?? sampleModuleDir() }, MODULE_DIR_IN_ROOT);
    if (copied.exitCode !== 0) return failed(`kpkg could not copy the module source into the rootfs:\n${copied.tail}`);
    const build = await target.run([
      'make',
      '-C',
      buildDir,
      `M=${MODULE_DIR_IN_ROOT}`,
      ...(input.makeArgs ?? []),
      'modules',
    ]);
    if (build.exitCode !== 0) {
      const foreign = await foreignProgramsNote(target, buildDir, input.debianArch);
      return failed(`${build.tail}${foreign === '' ? '' : `\n${foreign}`}`);
    }
    // Resolved inside the rootfs: the module's Makefile may have left a symbolic link there.
    const moduleHostDir = await resolveInRoot(target.root, MODULE_DIR_IN_ROOT);
    const koFiles = await findKoFiles(moduleHostDir);
    if (koFiles.length === 0) return failed(`${build.tail}\nkpkg: make succeeded but built no .ko file`);
    return done({ modules: koFiles.map((ko) => `${MODULE_DIR_IN_ROOT}/${relative(moduleHostDir, ko)}`) });
  },
};
