/**
 * The steps that check what the build made: the module's vermagic (modinfo in the rootfs) is the
 * release's, and every program in the build tree is a target binary — which emulation cannot
 * show: on an x86-64 host an x86-64 program runs natively in the chroot (../foreign-binaries.ts).
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { findForeignBinaries, foreignSummary } from '../foreign-binaries.js';
import { parseModinfo, vermagicMatchesRelease } from '../modinfo.js';
import { resolveInRoot } from '../path-in-root.js';
import { done, failed, LOG_TAIL_LINES, need, type Step } from './step.js';

/** Copies the modules (paths in the rootfs) to artifactsDir; the first one's copy. */
async function copyModulesOut(root: string, modules: readonly string[], artifactsDir: string): Promise<string> {
  await mkdir(artifactsDir, { recursive: true });
  // Resolved inside the rootfs: the module's Makefile may have left a symbolic link on the way.
  for (const module of modules) await copyFile(await resolveInRoot(root, module), join(artifactsDir, basename(module)));
  return resolve(artifactsDir, basename(modules[0] ?? ''));
}

export const modinfoStep: Step<'modinfo'> = {
  name: 'modinfo',
  async run({ input, facts }) {
    const target = need(facts, 'target', 'modinfo');
    const modules = need(facts, 'modules', 'modinfo');
    let vermagic = '';
    for (const module of modules) {
      const modinfo = await target.run(['modinfo', module]);
      if (modinfo.exitCode !== 0) return failed(modinfo.tail);
      vermagic = parseModinfo(modinfo.output).get('vermagic')?.[0] ?? '';
      if (!vermagicMatchesRelease(vermagic, input.release)) {
        return failed(
          `${modinfo.tail}\nkpkg: vermagic of ${module} is '${vermagic}', expected it to start with '${input.release} '`,
        );
      }
    }
    const moduleFile =
      input.artifactsDir === undefined
        ? (modules[0] ?? '')
        : await copyModulesOut(target.root, modules, input.artifactsDir);
    return done({ vermagic, moduleFile });
  },
};

export const checkBinariesStep: Step<'check binaries'> = {
  name: 'check binaries',
  async run({ input, facts, note }) {
    const target = need(facts, 'target', 'check binaries');
    const foreign = await findForeignBinaries(target.root, need(facts, 'buildDir', 'check binaries'), input.debianArch);
    if (foreign.length === 0) return done();
    note(...foreign.map((f) => `${f.path}: ${f.found}`));
    return failed(foreignSummary(foreign, input.debianArch, LOG_TAIL_LINES - 1));
  },
};
