/**
 * The install step: the headers packages copied into the rootfs and installed there by the
 * input's installer (../install/: the rootfs's own dpkg, rpm, pacman or tar), then
 * /lib/modules/<release>/build found where the packages put it.
 */
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import type { Installer } from '../install/installer.js';
import { resolveInRoot } from '../path-in-root.js';
import type { SmokeTarget, TargetRunResult } from '../target.js';
import { done, failed, need, type Step, type StepOutcome } from './step.js';

/** Where the packages are copied in the rootfs. */
export const PACKAGES_DIR_IN_ROOT = '/tmp/kpkg-packages';

/** Copies `packages` (host paths) into the rootfs; their paths there, or the copy's failure. */
async function copyPackagesIn(target: SmokeTarget, packages: readonly string[]): Promise<string[] | TargetRunResult> {
  const copied = await target.put({ files: packages }, PACKAGES_DIR_IN_ROOT);
  if (copied.exitCode !== 0) return copied;
  return packages.map((file) => `${PACKAGES_DIR_IN_ROOT}/${basename(file)}`);
}

/** Writes the installer's setup files (path in the rootfs → text) into the rootfs, through a host directory of the same layout. */
async function writeSetupFiles(target: SmokeTarget, installer: Installer): Promise<TargetRunResult | undefined> {
  const files = Object.entries(installer.setupFiles?.() ?? {});
  if (files.length === 0) return undefined;
  const staging = await mkdtemp(join(tmpdir(), 'kpkg-setup-'));
  try {
    for (const [path, text] of files) {
      const hostPath = join(staging, path);
      await mkdir(dirname(hostPath), { recursive: true });
      await writeFile(hostPath, text);
    }
    const copied = await target.put({ contentsOf: staging }, '/');
    return copied.exitCode === 0 ? undefined : copied;
  } finally {
    await rm(staging, { recursive: true, force: true });
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
    const files = await copyPackagesIn(target, input.packages);
    if (!Array.isArray(files)) return failed(`kpkg could not copy the packages into the rootfs:\n${files.tail}`);
    const setup = await writeSetupFiles(target, input.installer);
    if (setup !== undefined) return failed(`kpkg could not write the installer's setup files:\n${setup.tail}`);
    const failure = await runInstaller(target, input.installer, files);
    if (failure !== undefined) return failed(failure);
    return findBuildTree(target, input.release, note);
  },
};
