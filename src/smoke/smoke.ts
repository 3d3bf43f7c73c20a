import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KpkgError } from '../util/errors.js';
import { debianArchInfo } from './debian-arch.js';
import type { BootReport } from './boot/report.js';
import type { DkmsResult } from './dkms.js';
import { installerFor } from './detect.js';
import type { Installer, SmokeInputFormat } from './install/installer.js';
import type { ScriptNote } from './install/script-notes.js';
import { sampleModuleDir } from './sample-module-dir.js';
import { bootConfigStep, bootStep } from './steps/boot.js';
import { buildModuleStep, dkmsStep } from './steps/build.js';
import { checkBinariesStep, modinfoStep } from './steps/check.js';
import { installStep } from './steps/install.js';
import { binfmtStep, rootfsStep } from './steps/rootfs.js';
import { LOG_TAIL_LINES, type SmokeFacts, type SmokeInput, type Step, type StepContext } from './steps/step.js';
import { unpackRootfs } from './rootfs.js';
import { openSandbox, type Sandbox } from './sandbox/sandbox.js';
import { loggedTarget, sandboxTarget } from './target.js';

export { sampleModuleDir };

/**
 * The steps of a smoke run, in order. A new step is a module in ./steps/ (step.ts has the model)
 * and an entry here; its progress line is cli/commands/smoke.ts's stepDetail, which the
 * compiler asks for.
 */
export const SMOKE_STEPS = [
  binfmtStep,
  rootfsStep,
  installStep,
  bootConfigStep,
  dkmsStep,
  buildModuleStep,
  modinfoStep,
  checkBinariesStep,
  bootStep,
] as const;

/** A step's name; onStep gets each as it starts. */
export type SmokeStep = (typeof SMOKE_STEPS)[number]['name'];

export interface SmokeOptions extends Omit<SmokeInput, 'installer'> {
  /** Their installer (src/smoke/install/); default: found from the files' contents. */
  installer?: Installer;
  /** Called as each step starts. */
  onStep?: (step: SmokeStep) => void;
  /** Stream every line of mmdebstrap, dpkg, make and modinfo to onLine (default: stderr). */
  verbose?: boolean;
  onLine?: (line: string) => void;
  /** Keep the unpacked rootfs (its path is in the result) instead of deleting it. */
  keepRootfs?: boolean;
}

export interface SmokeRunResult<Name extends string> {
  ok: boolean;
  /** vermagic of the built module, e.g. "6.1.0-56-arm64 SMP preempt mod_unload modversions aarch64". */
  vermagic?: string;
  failedStep?: Name;
  /** Last ~30 lines of the failed step's output (e.g. "fixdep: Exec format error"). */
  logTail?: string;
  /** The built module: in artifactsDir when given, else its path inside the target rootfs. */
  moduleFile?: string;
  /** smoke.log in artifactsDir, when given. */
  logFile?: string;
  /** The unpacked rootfs, when keepRootfs. */
  rootfsDir?: string;
  /** The installer that ran: deb, rpm, pacman or tar. */
  installer?: SmokeInputFormat;
  /** The headers tree /lib/modules/<release>/build leads to in the rootfs, symlinks resolved (e.g. /usr/src/kernels/<release>). */
  buildTree?: string;
  /** Seconds per step, in order. */
  timings: { step: Name; seconds: number }[];
  /** Each DKMS module built (with --dkms), in the order asked. */
  dkms?: DkmsResult[];
  /**
   * What the packages' maintainer scripts did that a headers package should not need, once the
   * install step ran, also when the run failed: scripts denied something (warnings) or that failed.
   */
  scripts?: ScriptNote[];
  /** How the boot went (with --boot), also when it failed. */
  boot?: BootReport;
}

export type SmokeResult = SmokeRunResult<SmokeStep>;

/** How the runner reports and where the target's commands run. */
export interface RunStepsOptions<Name extends string> {
  onStep?: ((step: Name) => void) | undefined;
  /** Each line of the tools' output as it comes (--verbose). */
  onLine?: ((line: string) => void) | undefined;
  keepRootfs?: boolean | undefined;
  /** How the run unpacks and enters the rootfs: a sandbox (./sandbox/), or unit tests' own. */
  rootfsAccess: RootfsAccess;
}

/** How a run unpacks the target rootfs and runs commands in it. */
export type RootfsAccess = Pick<StepContext, 'unpackRootfs' | 'enterRootfs'>;

/** The rootfs unpacked and entered in `sandbox`, the target's commands' output tails LOG_TAIL_LINES long. */
export function sandboxedRootfs(sandbox: Sandbox, onLine: ((line: string) => void) | undefined): RootfsAccess {
  return {
    unpackRootfs: (tarball, parent) => unpackRootfs(sandbox, tarball, parent),
    enterRootfs: (root) => sandboxTarget(sandbox, root, { tailLines: LOG_TAIL_LINES, onLine }),
  };
}

async function requireReadable(path: string, what: string): Promise<void> {
  try {
    await access(path);
  } catch (cause) {
    throw new KpkgError(`${what} ${path} does not exist`, {
      where: path,
      hint: `check the path: ls -l ${path}`,
      cause,
    });
  }
}

async function validate(opts: SmokeOptions): Promise<Installer> {
  debianArchInfo(opts.debianArch);
  if (opts.packages.length === 0) throw new KpkgError('kpkg smoke needs at least one headers package to install');
  if (!/^[\w.+~-]+$/.test(opts.release)) {
    throw new KpkgError(`'${opts.release}' is not a kernel release`, {
      hint: 'pass what `make -s kernelrelease` prints',
    });
  }
  for (const file of opts.packages) await requireReadable(file, 'package');
  await requireReadable(
    opts.moduleDir ?? sampleModuleDir(),
    opts.moduleDir === undefined ? "kpkg's sample module (packaging bug)" : 'module directory',
  );
  return opts.installer ?? (await installerFor(opts.packages));
}

/** How the steps ended: the result without what the runner adds (installer, timings, log file, rootfs). */
type RunEnd<Name extends string> = Omit<SmokeRunResult<Name>, 'timings' | 'installer' | 'logFile' | 'rootfsDir'>;

function secondsSince(started: number): number {
  return Math.round((performance.now() - started) / 100) / 10;
}

/** The result of a run that passed every step; its keys in the order `--json` has always printed them. */
function passed<Name extends string>(facts: SmokeFacts): RunEnd<Name> {
  return {
    ok: true,
    ...(facts.vermagic === undefined ? {} : { vermagic: facts.vermagic }),
    ...(facts.moduleFile === undefined ? {} : { moduleFile: facts.moduleFile }),
    ...(facts.buildTree === undefined ? {} : { buildTree: facts.buildTree }),
    ...(facts.dkms === undefined ? {} : { dkms: facts.dkms }),
    ...(facts.boot === undefined ? {} : { boot: facts.boot }),
    ...(facts.scripts === undefined ? {} : { scripts: facts.scripts }),
  };
}

function failedAt<Name extends string>(step: Name, logTail: string, facts: SmokeFacts): RunEnd<Name> {
  return {
    ok: false,
    failedStep: step,
    logTail,
    ...(facts.dkms === undefined ? {} : { dkms: facts.dkms }),
    ...(facts.boot === undefined ? {} : { boot: facts.boot }),
    ...(facts.scripts === undefined ? {} : { scripts: facts.scripts }),
  };
}

/** Runs the wanted steps in order, timing each, until one fails. */
async function runInOrder<Name extends string>(
  steps: readonly Step<Name>[],
  context: StepContext,
  facts: SmokeFacts,
  onStep: ((step: Name) => void) | undefined,
): Promise<{ end: RunEnd<Name>; timings: SmokeRunResult<Name>['timings'] }> {
  const timings: SmokeRunResult<Name>['timings'] = [];
  for (const step of steps) {
    if (step.wanted?.(context.input) === false) continue;
    context.note(`== ${step.name}`);
    onStep?.(step.name);
    const started = performance.now();
    const outcome = await step.run(context);
    Object.assign(facts, outcome.facts);
    timings.push({ step: step.name, seconds: secondsSince(started) });
    if (!outcome.ok) {
      context.note(`== failed at ${step.name}`);
      return { end: failedAt(step.name, outcome.logTail, facts), timings };
    }
  }
  return { end: passed(facts), timings };
}

/**
 * Runs `steps` in order until one fails; writes smoke.log into artifactsDir and removes the
 * rootfs (unless keepRootfs) whether the steps pass, fail or throw.
 */
export async function runSmokeSteps<Name extends string>(
  steps: readonly Step<Name>[],
  input: SmokeInput,
  options: RunStepsOptions<Name>,
): Promise<SmokeRunResult<Name>> {
  const log: string[] = [];
  const note = (...lines: string[]): void => {
    log.push(...lines);
  };
  const facts: SmokeFacts = {};
  const context: StepContext = {
    input,
    facts,
    note,
    onLine: options.onLine,
    unpackRootfs: options.rootfsAccess.unpackRootfs,
    enterRootfs: (root) => loggedTarget(options.rootfsAccess.enterRootfs(root), note),
  };
  try {
    const { end, timings } = await runInOrder(steps, context, facts, options.onStep);
    const result: SmokeRunResult<Name> = { ...end, installer: input.installer.format, timings };
    if (input.artifactsDir !== undefined) result.logFile = await writeLog(input.artifactsDir, log);
    if (options.keepRootfs === true && facts.rootfs !== undefined) result.rootfsDir = facts.rootfs.dir;
    return result;
  } finally {
    if (options.keepRootfs !== true) await facts.rootfs?.remove();
  }
}

async function writeLog(artifactsDir: string, log: readonly string[]): Promise<string> {
  const file = join(artifactsDir, 'smoke.log');
  await mkdir(artifactsDir, { recursive: true });
  await writeFile(file, `${log.join('\n')}\n`);
  return file;
}

/**
 * Proves that a linux-headers package works on its target: installs it in a fresh emulated
 * rootfs of that architecture, builds an out-of-tree module there with the package's kbuild
 * tools, checks the module's vermagic and that every program in the build directory is a
 * target binary. Problems with the package give ok:false and the failed step's output; problems
 * with this machine (no sandbox, no qemu-user-static, mirror unreachable) throw KpkgError.
 */
export async function smoke(opts: SmokeOptions): Promise<SmokeResult> {
  const installer = await validate(opts);
  const sandbox = await openSandbox(opts.limits);
  const onLine = opts.verbose ? (opts.onLine ?? ((line: string) => process.stderr.write(`${line}\n`))) : undefined;
  return runSmokeSteps<SmokeStep>(
    SMOKE_STEPS,
    { ...opts, installer },
    { onStep: opts.onStep, onLine, keepRootfs: opts.keepRootfs, rootfsAccess: sandboxedRootfs(sandbox, onLine) },
  );
}
