/** What the benchmarks share: medians, formatting, and whole-process timing with peak memory. */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;
export const MiB = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export interface ProcessSample {
  /** Wall time, ms. */
  wall: number;
  /** User + system CPU of the process and every child it waited for, ms. */
  cpu: number;
  /**
   * Peak resident set size, KiB: GNU time's %M, i.e. wait4's ru_maxrss, which on Linux is the largest
   * of the process's own peak and those of the descendants it waited for (the biggest single process).
   */
  maxRssKiB: number;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs a command under GNU time (apt-get install time); throws with its stderr when it fails. */
export async function timedProcess(
  command: readonly string[],
  options: RunOptions = {},
): Promise<ProcessSample & { stdout: string }> {
  const report = join(tmpdir(), `kpkg-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', report, ...command], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', (e) => reject(new Error(`cannot run /usr/bin/time (apt-get install time): ${e.message}`)));
    child.on('close', resolve);
  });
  try {
    if (code !== 0) throw new Error(`${command.join(' ')} exited ${String(code)}:\n${stderr}`);
    const [wall = 0, user = 0, sys = 0, rss = 0] =
      (await readFile(report, 'utf8')).trim().split('\n').pop()?.split(' ').map(Number) ?? [];
    return { wall: wall * 1000, cpu: (user + sys) * 1000, maxRssKiB: rss, stdout };
  } finally {
    await rm(report, { force: true });
  }
}
