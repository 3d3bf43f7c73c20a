/**
 * The install step: the headers packages copied into the rootfs and installed there by the
 * input's installer (../install/: the rootfs's own dpkg, rpm, pacman or tar), then
 * /lib/modules/<release>/build found where the packages put it. What the packages' maintainer
 * scripts did on the way (../install/script-notes.ts) goes into the facts, whether the step
 * passes or not: a script that was denied something is a warning, one that failed fails the step —
 * unless the user accepts script failures (--accept-script-failures): then it is a warning too, and
 * the installer's next command runs (the package is unpacked, if not configured).
 */
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import type { Installer } from '../install/installer.js';
import { describeScriptNote, failsTheRun, type ScriptNote } from '../install/script-notes.js';
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

/** How the installer's commands ended: the log tail of the first that failed, and what the scripts did. */
interface InstallerRun {
  readonly failure: string | undefined;
  readonly scripts: ScriptNote[];
}

/**
 * Why a command failed, its tail after: the first script that failed, else the problem its output
 * shows. A command whose failed scripts were all accepted did not fail.
 */
function failureOf(
  tail: string,
  exitCode: number,
  notes: readonly ScriptNote[],
  problem: string | undefined,
): string | undefined {
  const scriptFailed = notes.find(failsTheRun);
  if (scriptFailed !== undefined) return `${describeScriptNote(scriptFailed)}\n${tail}`;
  // The installer's exit status says the scripts failed, which the user accepted.
  if (exitCode !== 0 && !notes.some((note) => note.accepted === true)) return tail;
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
  acceptScriptFailures: boolean,
): Promise<InstallerRun> {
  const scripts: ScriptNote[] = [];
  for (const argv of installer.commands(files)) {
    const result = await target.run(argv);
    const notes = (installer.scriptNotes?.(result.output) ?? []).map((note) =>
      acceptScriptFailures && note.kind === 'failed' ? { ...note, accepted: true } : note,
    );
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
    const files = await copyPackagesIn(target, input.packages);
    if (!Array.isArray(files)) return failed(`kpkg could not copy the packages into the rootfs:\n${files.tail}`);
    const setup = await writeSetupFiles(target, input.installer);
    if (setup !== undefined) return failed(`kpkg could not write the installer's setup files:\n${setup.tail}`);
    const { failure, scripts } = await runInstaller(
      target,
      input.installer,
      files,
      input.acceptScriptFailures === true,
    );
    note(...scripts.map((script) => `kpkg: ${describeScriptNote(script)}`));
    if (failure !== undefined) return failed(failure, { scripts });
    const found = await findBuildTree(target, input.release, note);
    return { ...found, facts: { ...found.facts, scripts } };
  },
};
