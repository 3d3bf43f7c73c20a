/**
 * fuzz/run's entry point (node dist-fuzz/testing/fuzz/cli.js …):
 *
 *   --minutes N       per target (default 10)
 *   --seed N          the run's seed (default 1)
 *   --execs N         also stop a target after N execs
 *   --jobs 1|2        targets fuzzed at a time (default 1)
 *   --reproduce FILE  run one saved input through the (one) named target and print the outcome
 *   --chunk-seed N    with --reproduce: the chunk seed the finding's .txt names
 *   TARGET…           default: every target
 *
 * Prints a table (target, execs, minutes, execs/min, findings) and writes it as JSON under
 * fuzz/results/; findings go to fuzz/findings/<target>/. Exit status 1 when anything was found.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fuzzTarget, runOnce, type FuzzResult } from './runner.js';
import { Samples } from './samples.js';
import { TARGETS, targetNamed, type FuzzTarget } from './targets.js';

/** The repository: this file is <root>/<out dir>/testing/fuzz/cli.js. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function number(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${what} takes a non-negative number, not '${text}'`);
  return value;
}

function table(results: readonly FuzzResult[]): string {
  const rows = [['target', 'seeds', 'execs', 'minutes', 'execs/min', 'behaviours', 'findings']];
  for (const r of results) {
    rows.push([
      r.target,
      String(r.seeds),
      String(r.execs),
      r.minutes.toFixed(1),
      String(Math.round(r.execs / Math.max(r.minutes, 1e-9))),
      String(r.behaviours),
      String(r.findings.length),
    ]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '),
    )
    .join('\n');
}

async function pool<T, R>(items: readonly T[], jobs: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) {
      const item = items[index];
      if (item !== undefined) results[index] = await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, lane));
  return results;
}

async function reproduce(target: FuzzTarget, file: string, chunkSeed: number): Promise<number> {
  const outcome = await runOnce(target, await readFile(file), chunkSeed);
  if (outcome.status === 'pass') {
    process.stdout.write(`${target.name}: passes now (${outcome.signature})\n`);
    return 0;
  }
  process.stdout.write(`${target.name}: ${outcome.kind}: ${outcome.message}\n${outcome.stack}\n`);
  return 1;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      minutes: { type: 'string' },
      seed: { type: 'string' },
      execs: { type: 'string' },
      jobs: { type: 'string' },
      reproduce: { type: 'string' },
      'chunk-seed': { type: 'string' },
    },
  });
  const targets = positionals.length === 0 ? TARGETS : positionals.map(targetNamed);
  if (values.reproduce !== undefined) {
    const only = targets.length === 1 ? targets[0] : undefined;
    if (only === undefined) throw new Error('--reproduce needs exactly one target name');
    return reproduce(only, values.reproduce, number(values['chunk-seed'], 0, 'chunk-seed'));
  }
  const minutes = number(values.minutes, 10, 'minutes');
  const seed = number(values.seed, 1, 'seed');
  const maxExecs = values.execs === undefined ? undefined : number(values.execs, 0, 'execs');
  const jobs = Math.min(2, Math.max(1, number(values.jobs, 1, 'jobs')));
  const samples = new Samples();
  const findingsDir = join(ROOT, 'fuzz/findings');
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  log(`fuzzing ${targets.map((t) => t.name).join(', ')}: ${minutes} min each, seed ${seed}, ${jobs} at a time`);
  const results = await pool(targets, jobs, async (target) => {
    const result = await fuzzTarget({
      target,
      samples,
      seed,
      durationMs: minutes * 60_000,
      ...(maxExecs === undefined ? {} : { maxExecs }),
      findingsDir,
      log,
    });
    log(
      `${target.name}: ${result.execs} execs in ${result.minutes.toFixed(1)} min, ${result.findings.length} finding(s)`,
    );
    return result;
  });
  process.stdout.write(`${table(results)}\n`);
  const resultsDir = join(ROOT, 'fuzz/results');
  await mkdir(resultsDir, { recursive: true });
  const file = join(resultsDir, `fuzz-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify({ seed, minutesPerTarget: minutes, results }, null, 2)}\n`);
  process.stdout.write(`results: ${file}\n`);
  return results.some((r) => r.findings.length > 0) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`fuzz: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
