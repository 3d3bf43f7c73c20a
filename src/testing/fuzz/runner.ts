/**
 * The seeded mutation loop for one target: every seed once as it is, then mutated inputs until
 * the time or exec budget is spent. An input whose outcome (its rejection message, numbers
 * blanked) was not seen before joins the corpus, so later mutations start from it. The same
 * seed, samples and readers give the same inputs in the same order.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { overBudget } from './budgets.js';
import { copyOf, mutate, resealTarHeaders } from './mutate.js';
import type { ExecOutcome, FindingKind } from './protocol.js';
import { Random } from '../random.js';
import type { Samples } from './samples.js';
import type { FuzzTarget } from './targets.js';
import { WorkerHost } from './worker-host.js';

export interface FuzzOptions {
  target: FuzzTarget;
  samples: Samples;
  seed: number;
  /** Stop after this long (milliseconds)… */
  durationMs: number;
  /** …or after this many execs, whichever comes first. */
  maxExecs?: number;
  /** But not before this many mutated inputs ran (a slow machine still fuzzes a little). */
  minMutations?: number;
  /** Where findings are saved (`<dir>/<target>/`); undefined: not saved. */
  findingsDir?: string;
  log?: (line: string) => void;
}

export interface Finding {
  kind: FindingKind;
  message: string;
  stack: string;
  /** Where the input came from: -1 for a seed as it is, else the mutation iteration. */
  iteration: number;
  chunkSeed: number;
  /** How often this finding (same kind, message shape and top frame) came up. */
  count: number;
  /** The saved input, when saved. */
  file?: string;
}

export interface FuzzResult {
  target: string;
  seed: number;
  seeds: number;
  execs: number;
  minutes: number;
  corpus: number;
  /** Distinct outcomes seen (accepted, or rejected with distinct messages). */
  behaviours: number;
  largestAllocation: number;
  findings: Finding[];
}

/** Most inputs added to the corpus from feedback. */
const MAX_CORPUS_GROWTH = 2000;

function iterationRandom(seed: number, iteration: number): Random {
  return new Random((Math.imul(seed, 0x9e3779b1) ^ Math.imul(iteration + 1, 0x85ebca77)) >>> 0);
}

/**
 * Findings are the same bug when they have the same kind, error name and innermost frames of
 * kpkg's own code (line numbers dropped); hangs and crashes by kind and message shape.
 */
function findingKey(outcome: ExecOutcome & { status: 'finding' }): string {
  const name = outcome.message.split(':', 1)[0] ?? '';
  const frames = outcome.stack
    .split('\n')
    .filter((line) => line.trim().startsWith('at ') && line.includes('/dist') && !line.includes('/testing/fuzz/'))
    .slice(0, 2)
    .map((line) => line.trim().replace(/:\d+:\d+\)?$/, ''));
  const shape = frames.length > 0 ? frames.join('|') : outcome.message.replace(/\d+/g, 'N').slice(0, 80);
  return createHash('sha256').update(`${outcome.kind}\n${name}\n${shape}`).digest('hex').slice(0, 16);
}

async function saveFinding(
  dir: string,
  target: string,
  key: string,
  input: Uint8Array,
  finding: Finding,
  seed: number,
): Promise<string> {
  const where = join(dir, target);
  await mkdir(where, { recursive: true });
  const file = join(where, `${key}.bin`);
  await writeFile(file, input);
  const report = [
    `target: ${target}`,
    `kind: ${finding.kind}`,
    `found with: --seed ${seed}, ${finding.iteration < 0 ? 'an unmutated seed' : `iteration ${finding.iteration}`}, chunk seed ${finding.chunkSeed}`,
    `reproduce: fuzz/run --reproduce ${file} --chunk-seed ${finding.chunkSeed} ${target}`,
    '',
    finding.message,
    '',
    finding.stack,
    '',
  ].join('\n');
  await writeFile(join(where, `${key}.txt`), report);
  return file;
}

/**
 * Runs one exec and holds a pass to the budgets (budgets.ts): too slow for its size, or too much
 * memory, is a finding — when it is so again on a second run (a loaded machine is not the input's doing).
 */
async function withinBudget(
  host: WorkerHost,
  target: FuzzTarget,
  input: Uint8Array,
  chunkSeed: number,
): Promise<ExecOutcome> {
  const outcome = await host.run({ input, chunkSeed }, target.timeoutMs);
  if (outcome.status !== 'pass' || outcome.measures === undefined) return outcome;
  if (overBudget(outcome.measures, input.length) === undefined) return outcome;
  const again = await host.run({ input, chunkSeed }, target.timeoutMs);
  const over = again.measures === undefined ? undefined : overBudget(again.measures, input.length);
  if (again.status !== 'pass' || over === undefined) return again;
  return {
    status: 'finding',
    kind: over.kind,
    message: over.message,
    stack: '',
    largestAllocation: again.largestAllocation,
  };
}

export async function fuzzTarget(options: FuzzOptions): Promise<FuzzResult> {
  const { target, seed } = options;
  const seeds = await target.seeds(options.samples);
  if (seeds.length === 0) throw new Error(`fuzz target ${target.name} has no seeds`);
  const corpus: Uint8Array[] = [...seeds];
  const dictionary = target.dictionary.map((token) => Buffer.from(token, 'latin1'));
  const behaviours = new Set<string>();
  const findings = new Map<string, Finding>();
  const host = new WorkerHost(target.name);
  const started = Date.now();
  let execs = 0;
  let largestAllocation = 0;

  const judge = async (input: Uint8Array, iteration: number, chunkSeed: number): Promise<void> => {
    const outcome = await withinBudget(host, target, input, chunkSeed);
    execs++;
    largestAllocation = Math.max(largestAllocation, outcome.largestAllocation);
    if (outcome.status === 'pass') {
      if (!behaviours.has(outcome.signature)) {
        behaviours.add(outcome.signature);
        if (iteration >= 0 && corpus.length < seeds.length + MAX_CORPUS_GROWTH) corpus.push(input);
      }
      return;
    }
    // A hang on a loaded machine may be the machine's: it counts when the input hangs again, alone.
    if (outcome.kind === 'hang' && (await host.run({ input, chunkSeed }, target.timeoutMs * 3)).status === 'pass')
      return;
    const key = findingKey(outcome);
    const known = findings.get(key);
    if (known !== undefined) {
      known.count++;
      return;
    }
    const finding: Finding = {
      kind: outcome.kind,
      message: outcome.message,
      stack: outcome.stack,
      iteration,
      chunkSeed,
      count: 1,
    };
    if (options.findingsDir !== undefined)
      finding.file = await saveFinding(options.findingsDir, target.name, key, input, finding, seed);
    findings.set(key, finding);
    options.log?.(
      `${target.name}: ${outcome.kind} at ${iteration < 0 ? 'a seed' : `iteration ${iteration}`} (seed ${seed}): ${outcome.message.split('\n')[0] ?? ''}${finding.file === undefined ? '' : ` — saved ${finding.file}`}`,
    );
  };

  const spent = (mutations: number): boolean =>
    (Date.now() - started >= options.durationMs && mutations >= (options.minMutations ?? 0)) ||
    (options.maxExecs !== undefined && execs >= options.maxExecs);
  try {
    for (const [index, sample] of seeds.entries()) await judge(sample, -1, index);
    for (let iteration = 0; !spent(iteration); iteration++) {
      const random = iterationRandom(seed, iteration);
      const parent = random.pick(corpus);
      let input = mutate(parent, random, { corpus, dictionary, maxLength: target.maxLength });
      if (target.resealTar && random.chance(0.7)) {
        // A copy: a mutation may return a view of the parent, which stays in the corpus as it is.
        input = copyOf(input);
        resealTarHeaders(input);
      }
      await judge(input, iteration, random.u32());
    }
  } finally {
    await host.close();
  }
  return {
    target: target.name,
    seed,
    seeds: seeds.length,
    execs,
    minutes: (Date.now() - started) / 60000,
    corpus: corpus.length,
    behaviours: behaviours.size,
    largestAllocation,
    findings: [...findings.values()],
  };
}

/** Runs one saved input once (reproducing a finding) and returns its outcome. */
export async function runOnce(target: FuzzTarget, input: Uint8Array, chunkSeed: number): Promise<ExecOutcome> {
  const host = new WorkerHost(target.name);
  try {
    return await host.run({ input, chunkSeed }, target.timeoutMs);
  } finally {
    await host.close();
  }
}
