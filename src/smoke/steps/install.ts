/**
 * The install step: the headers packages copied into the rootfs and installed there by the
 * input's installer (../install/: the rootfs's own dpkg, rpm, pacman or tar), then
 * /lib/modules/<release>/build found where the packages put it. What the packages' maintainer
 * scripts did on the way (../install/script-notes.ts) goes into the facts, whether the step
 * passes or not: a script that was denied something is a warning, one that failed fails the step.
 */
import { access, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { Installer } from '../install/installer.js';
import { describeScriptNote, type ScriptNote } from '../install/script-notes.js';
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

/** How the installer's commands ended: the log tail of the first that failed, and what the scripts did. */
interface InstallerRun {
  readonly failure: string | undefined;
  readonly scripts: ScriptNote[];
}

/** Why a command failed, its tail after: the first script that failed, else the problem its output shows. */
function failureOf(
  tail: string,
  exitCode: number,
  notes: readonly ScriptNote[],
  problem: string | undefined,
): string | undefined {
  const scriptFailed = notes.find((note) => note.kind === 'failed');
  if (scriptFailed !== undefined) return `${describeScriptNote(scriptFailed)}\n${tail}`;
  if (exitCode !== 0) return tail;
  return problem === undefined ? undefined : `${tail}\nkpkg: ${problem}`;
}

/**
 * Runs the installer's commands in order until one fails (it exits non-zero, a script failed
 * although it exited 0 as rpm's %post does, or its output shows a problem), gathering what the
 * scripts did.
 */
async function runInstaller(
  target: SmokeTarget,
  installer: Installer,
  files: readonly string[],
): Promise<InstallerRun> {
  const scripts: ScriptNote[] = [];
  for (const argv of installer.commands(files)) {
    const result = await target.run(argv);
    const notes = installer.scriptNotes?.(result.output) ?? [];
    scripts.push(...notes);
    const failure = failureOf(result.tail, result.exitCode, notes, installer.problemIn?.(result.output));
    if (failure !== undefined) return { failure, scripts };
  }
  return { failure: undefined, scripts };
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
    const { failure, scripts } = await runInstaller(target, input.installer, files);
    note(...scripts.map((script) => `kpkg: ${describeScriptNote(script)}`));
    if (failure !== undefined) return failed(failure, { scripts });
    const found = await findBuildTree(target, input.release, note);
    return { ...found, facts: { ...found.facts, scripts } };
  },
};
