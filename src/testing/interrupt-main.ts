/**
 * tools/interrupt-trials: interrupts `kpkg deb` on a real tree N times per signal at random
 * points and prints what happened (see interrupt-trials.ts). Exit 1 when any trial failed.
 *   node dist/testing/interrupt-main.js [--runs N] [--seed S] [--series 6.1|6.12] [--signals SIGKILL,SIGINT]
 */
import { parseArgs } from 'node:util';
import { trialBench, trialProblems, type Trial, type TrialSignal } from './interrupt-trials.js';
import { builtKernelTree } from './kernel-trees.js';
import { Random } from './random.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    seed: { type: 'string' },
    series: { type: 'string', default: '6.1' },
    signals: { type: 'string', default: 'SIGKILL,SIGINT' },
  },
});
const signals = values.signals.split(',').filter((s): s is TrialSignal => s === 'SIGKILL' || s === 'SIGINT');
const runs = Number(values.runs);
const seed = Number(values.seed ?? Date.now() % 1_000_000);
const series = values.series === '6.12' ? '6.12' : '6.1';
const started = performance.now();
const bench = await trialBench(await builtKernelTree({ series }));
process.stdout.write(
  `kpkg deb on the ${series} arm64 tiny tree: ${Math.round(bench.fullMs)} ms uninterrupted; seed ${seed}\n`,
);
const trials: Trial[] = [];
let failed = 0;
try {
  for (const signal of signals) {
    const random = new Random(seed + (signal === 'SIGINT' ? 1 : 0));
    for (let i = 0; i < runs; i++) {
      const trial = await bench.run(signal, random.fraction() * bench.fullMs * 1.05);
      const problems = trialProblems(trial);
      if (problems.length > 0) failed++;
      trials.push(trial);
      process.stdout.write(
        `${signal.padEnd(8)} ${String(trial.delayMs).padStart(7)} ms  exit ${String(trial.exitCode).padEnd(4)} --out ${trial.outcome.padEnd(5)} ${problems.length === 0 ? 'ok' : `FAIL: ${problems.join('; ')}`}\n`,
      );
    }
  }
  const together = await bench.concurrent();
  const ok =
    together.exitCodes.every((c) => c === 0) && together.outcome !== 'mixed' && together.leftovers.length === 0;
  if (!ok) failed++;
  process.stdout.write(
    `two runs at once into one --out: exit ${together.exitCodes.join(' and ')}, --out ${together.outcome}${together.leftovers.length > 0 ? `, left ${together.leftovers.join(', ')}` : ''} ${ok ? 'ok' : 'FAIL'}\n`,
  );
} finally {
  await bench.dispose();
}
for (const signal of ['SIGKILL', 'SIGINT'] as const) {
  const of = trials.filter((t) => t.signal === signal);
  const count = (outcome: Trial['outcome']): number => of.filter((t) => t.outcome === outcome).length;
  process.stdout.write(
    `${signal}: ${of.length} trials, --out old ${count('old')}, new ${count('new')}, mixed ${count('mixed')}; partial files ${of.reduce((n, t) => n + t.partial.length, 0)}; left behind ${of.filter((t) => t.leftovers.length > 0).length}\n`,
  );
}
process.stdout.write(`${failed} failed; ${Math.round((performance.now() - started) / 1000)} s\n`);
process.exitCode = failed === 0 ? 0 : 1;
