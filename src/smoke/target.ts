/**
 * The target rootfs as smoke's steps see it: its directory on this machine, the one function that
 * runs a command inside it, and the one that copies files into it. Steps never call the sandbox
 * themselves, so how a command enters the rootfs (./sandbox/) is replaced here and nowhere else.
 */
import { basename, dirname } from 'node:path';
import { execa } from 'execa';
import type { SandboxRunResult } from './sandbox/run.js';
import { runInSandbox } from './sandbox/run.js';
import type { Sandbox } from './sandbox/sandbox.js';

/** What a command run in the target returns: exit code, whole output and its last lines. */
export type TargetRunResult = SandboxRunResult;

/** Runs `argv` inside the target rootfs, at its /. */
export type RunInTarget = (argv: readonly string[]) => Promise<TargetRunResult>;

/** What to copy into the target: host files (each under its own name), or a host directory's contents. */
export type TargetPut = { readonly files: readonly string[] } | { readonly contentsOf: string };

export interface SmokeTarget {
  /** The rootfs's directory on this machine: steps read results out through it (with resolveInRoot). */
  readonly root: string;
  readonly run: RunInTarget;
  /**
   * Copies host files into `dir` in the target (made if missing), owned by the target's root. The
   * copy is unpacked inside the sandbox, so nothing the packages' scripts left in the rootfs (a
   * symbolic link to /etc, say) can lead it out of the rootfs.
   */
  readonly put: (what: TargetPut, dir: string) => Promise<TargetRunResult>;
}

export interface TargetRunOptions {
  /** How many lines a result's tail keeps. */
  readonly tailLines: number;
  /** Each output line as it comes (--verbose). */
  readonly onLine?: ((line: string) => void) | undefined;
}

/** The host tar's arguments that write `what` to stdout, owned by root, symbolic links copied as what they point to. */
export function hostTarArgs(what: TargetPut): string[] {
  const members =
    'files' in what ? what.files.flatMap((f) => ['-C', dirname(f), basename(f)]) : ['-C', what.contentsOf, '.'];
  return ['--create', '--file=-', '--dereference', '--numeric-owner', '--owner=0', '--group=0', ...members];
}

/** The target's command that unpacks a tar from stdin into `dir`. */
export function unpackInTargetArgv(dir: string): string[] {
  return ['sh', '-c', 'mkdir -p "$1" && exec tar --extract --file=- --directory="$1" --no-same-owner', 'put', dir];
}

/** The rootfs unpacked at `root`, its commands run in `sandbox`. */
export function sandboxTarget(sandbox: Sandbox, root: string, options: TargetRunOptions): SmokeTarget {
  const runOptions = {
    tailLines: options.tailLines,
    ...(options.onLine === undefined ? {} : { onLine: options.onLine }),
  };
  const run: RunInTarget = (argv) => runInSandbox(sandbox, root, argv, runOptions);
  const put = async (what: TargetPut, dir: string): Promise<TargetRunResult> => {
    const tar = execa('tar', hostTarArgs(what), { stdin: 'ignore', buffer: { stdout: false } });
    const result = await runInSandbox(sandbox, root, unpackInTargetArgv(dir), { ...runOptions, stdin: tar.stdout });
    await tar;
    return result;
  };
  return { root, run, put };
}

/** `target` with each command, its output and its exit code written to `log` (smoke.log). */
export function loggedTarget(target: SmokeTarget, log: (...lines: string[]) => void): SmokeTarget {
  const logged =
    <Args extends unknown[]>(describe: (...args: Args) => string, call: (...args: Args) => Promise<TargetRunResult>) =>
    async (...args: Args): Promise<TargetRunResult> => {
      log(`$ ${describe(...args)}`);
      const result = await call(...args);
      log(result.output.trimEnd(), `[exit ${result.exitCode}]`);
      return result;
    };
  return {
    root: target.root,
    run: logged((argv: readonly string[]) => argv.join(' '), target.run),
    put: logged(
      (what: TargetPut, dir: string) =>
        `(kpkg) copy ${'files' in what ? what.files.join(' ') : `${what.contentsOf}/*`} to ${dir}`,
      target.put,
    ),
  };
}
