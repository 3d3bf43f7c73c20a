/**
 * The install step: the headers packages copied into the rootfs and installed there by the
 * input's installer (../install/: the rootfs's own dpkg, rpm, pacman or tar), then
 * /lib/modules/<release>/build found where the packages put it.
 */
import { access, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { Installer } from '../install/installer.js';
import { resolveInRoot } from '../path-in-root.js';
import type { SmokeTarget } from '../target.js';
import { done, failed, need, type Step, type StepOutcome } from './step.js';

/** Where the packages are copied in the rootfs. */
export const PACKAGES_DIR_IN_ROOT = '/tmp/kpkg-packages';

/** Copies `packages` (host paths) into the rootfs; their paths there. */
async function copyPackagesIn(root: string, packages: readonly string[]): Promise<string[]> {
  await mkdir(join(root, PACKAGES_DIR_IN_ROOT), { recursive: true });
  const inRoot: string[] = [];
  for (const file of packages) {
    const path = `${PACKAGES_DIR_IN_ROOT}/${basename(file)}`;
    await copyFile(file, join(root, path));
    inRoot.push(path);
  }
  return inRoot;
}

async function writeSetupFiles(root: string, installer: Installer): Promise<void> {
  for (const [path, text] of Object.entries(installer.setupFiles?.() ?? {})) {
    const hostPath = await resolveInRoot(root, path);
    await mkdir(dirname(hostPath), { recursive: true });
    await writeFile(hostPath, text);
  }
}

/** Runs the installer's commands in order; the log tail of the first that fails or shows a problem. */
async function runInstaller(
  target: SmokeTarget,
  installer: Installer,
  files: readonly string[],
): Promise<string | undefined> {
  for (const argv of installer.commands(files)) {
    const result = await target.run(argv);
    if (result.exitCode !== 0) return result.tail;
    const problem = installer.problemIn?.(result.output);
    if (problem !== undefined) return `${result.tail}\nkpkg: ${problem}`;
  }
  return undefined;
}

/** Where /lib/modules/<release>/build leads in the rootfs; without a Makefile there, the failure says what is installed. */
async function findBuildTree(target: SmokeTarget, release: string, note: (line: string) => void): Promise<StepOutcome> {
  const buildDir = `/lib/modules/${release}/build`;
  try {
    const hostTree = await resolveInRoot(target.root, buildDir);
    await access(join(hostTree, 'Makefile'));
    const buildTree = `/${relative(target.root, hostTree)}`;
    note(`${buildDir} is ${buildTree}`);
    return done({ buildDir, buildTree });
  } catch {
    const listing = await target.run(['sh', '-c', `ls -l /lib/modules/ /lib/modules/*/build 2>&1`]);
    return failed(`the packages installed no ${buildDir}/Makefile (wrong release '${release}'?):\n${listing.tail}`);
  }
}

export const installStep: Step<'install'> = {
  name: 'install',
  async run({ input, facts, note }) {
    const target = need(facts, 'target', 'install');
    const files = await copyPackagesIn(target.root, input.packages);
    await writeSetupFiles(target.root, input.installer);
    const failure = await runInstaller(target, input.installer, files);
    if (failure !== undefined) return failed(failure);
    return findBuildTree(target, input.release, note);
  },
};
