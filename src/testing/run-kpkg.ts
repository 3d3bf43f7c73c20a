import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

/** The CLI built beside this file (dist/testing/ → dist/cli/bin.js; the same in any other tsc --outDir). */
const BIN = fileURLToPath(new URL('../cli/bin.js', import.meta.url));

export interface KpkgRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (dist/cli/bin.js) as a user would, without a TTY. */
export async function runKpkg(args: readonly string[], env: Record<string, string> = {}): Promise<KpkgRun> {
  const r = await execa(process.execPath, [BIN, ...args], { reject: false, env: { ...env, CI: 'true' }, stdin: 'ignore' });
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs kpkg with --json and parses stdout; fails with stderr when the command failed. */
export async function runKpkgJson<T>(args: readonly string[]): Promise<T> {
  const r = await runKpkg([...args, '--json']);
  if (r.exitCode !== 0) throw new Error(`kpkg ${args.join(' ')} exited ${String(r.exitCode)}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
