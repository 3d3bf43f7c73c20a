/**
 * The target rootfs as smoke's steps see it: its directory on this machine, and the one function
 * that runs a command inside it. Steps never call chroot-run.ts themselves, so how a command
 * enters the rootfs (chroot today) is replaced here and nowhere else.
 */
import { runInChroot, type ChrootRunResult } from './chroot-run.js';

/** What a command run in the target returns: exit code, whole output and its last lines. */
export type TargetRunResult = ChrootRunResult;

/** Runs `argv` inside the target rootfs, at its /. */
export type RunInTarget = (argv: readonly string[]) => Promise<TargetRunResult>;

export interface SmokeTarget {
  /** The rootfs's directory on this machine: steps copy files in and read results out through it. */
  readonly root: string;
  readonly run: RunInTarget;
}

export interface TargetRunOptions {
  /** How many lines a result's tail keeps. */
  readonly tailLines: number;
  /** Limit for each command; default: runInChroot's. */
  readonly timeoutMs?: number | undefined;
  /** Each output line as it comes (--verbose). */
  readonly onLine?: ((line: string) => void) | undefined;
}

/** The rootfs unpacked at `root`, its commands run with chroot in their own namespaces (chroot-run.ts). */
export function chrootTarget(root: string, options: TargetRunOptions): SmokeTarget {
  const run: RunInTarget = (argv) =>
    runInChroot(root, argv, {
      tailLines: options.tailLines,
      ...(options.onLine === undefined ? {} : { onLine: options.onLine }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  return { root, run };
}

/** `target` with each command, its output and its exit code written to `log` (smoke.log). */
export function loggedTarget(target: SmokeTarget, log: (...lines: string[]) => void): SmokeTarget {
  const run: RunInTarget = async (argv) => {
    log(`$ ${argv.join(' ')}`);
    const result = await target.run(argv);
    log(result.output.trimEnd(), `[exit ${result.exitCode}]`);
    return result;
  };
  return { root: target.root, run };
}
