import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  trialBench,
  trialProblems,
  type Trial,
  type TrialBench,
  type TrialSignal,
} from '../../testing/interrupt-trials.js';
import { builtKernelTree, KERNEL_BUILD_TIMEOUT_MS } from '../../testing/kernel-trees.js';
import { Random } from '../../testing/random.js';

// 4 random points per signal in CI; tools/interrupt-trials runs as many as asked.
const TRIALS = 4;
const seed = Number(process.env.KPKG_INTERRUPT_SEED ?? Date.now() % 1_000_000);

let bench: TrialBench | undefined;
before(
  async () => {
    bench = await trialBench(await builtKernelTree({ series: '6.1' }));
  },
  { timeout: KERNEL_BUILD_TIMEOUT_MS },
);
after(() => bench?.dispose());

for (const signal of ['SIGKILL', 'SIGINT'] as const satisfies readonly TrialSignal[]) {
  test(
    `kpkg deb interrupted with ${signal} at ${TRIALS} random points (seed ${seed}): never a partial package${signal === 'SIGINT' ? '; exit 130, nothing left behind, --out all old or all new' : ''}`,
    { timeout: 20 * 60 * 1000 },
    async (t) => {
      assert.ok(bench !== undefined);
      const random = new Random(seed + (signal === 'SIGINT' ? 1 : 0));
      for (let i = 0; i < TRIALS; i++) {
        // Anywhere in the run, the commit at its very end included.
        const trial: Trial = await bench.run(signal, random.fraction() * bench.fullMs * 1.05);
        t.diagnostic(
          `${signal} after ${trial.delayMs} ms of ${Math.round(bench.fullMs)}: exit ${String(trial.exitCode)}, --out ${trial.outcome}`,
        );
        assert.deepEqual(trialProblems(trial), [], JSON.stringify(trial));
      }
    },
  );
}

test(
  'two kpkg deb runs at once on one tree into one --out: both succeed, --out holds one whole set and nothing else',
  { timeout: 20 * 60 * 1000 },
  async () => {
    assert.ok(bench !== undefined);
    const result = await bench.concurrent();
    assert.deepEqual(result.exitCodes, [0, 0]);
    assert.notEqual(result.outcome, 'mixed');
    assert.deepEqual(result.leftovers, []);
  },
);
