/**
 * The short fuzz run of the normal test suite: every target for about 1.2 s with a fixed seed
 * (the same inputs every time), after its seeds pass unmutated. Any finding fails the test with
 * the saved input and its stack (fuzz/README.md). The long run is fuzz/run.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { fuzzTarget, type FuzzResult } from './runner.js';
import { Samples } from './samples.js';
import { TARGETS } from './targets.js';

const SEED = 1;
const MILLISECONDS_PER_TARGET = 1200;
/** Mutated inputs run per target at least, however slow the machine. */
const MIN_MUTATIONS = 20;
const FINDINGS = join(fileURLToPath(new URL('../../../', import.meta.url)), 'fuzz/findings');

function describeFindings(result: FuzzResult): string {
  return result.findings
    .map(
      (f) =>
        `${f.kind} ×${f.count}: ${f.message.slice(0, 300)}\n  input: ${f.file ?? '(not saved)'}\n${f.stack.split('\n').slice(0, 8).join('\n')}`,
    )
    .join('\n\n');
}

describe('fuzz: short seeded run of every reader of untrusted bytes', { timeout: 120_000 }, () => {
  const samples = new Samples();
  before(async () => {
    // Made once for all targets: compiled ELF files, kpkg's packages, the system tools' archives.
    await Promise.all([
      samples.elf(),
      samples.packages(),
      samples.system(),
      samples.realDebs(),
      samples.cmdTexts(),
      samples.hostile(),
    ]);
  });

  for (const target of TARGETS) {
    it(`${target.name}: ${target.what}`, async () => {
      const result = await fuzzTarget({
        target,
        samples,
        seed: SEED,
        durationMs: MILLISECONDS_PER_TARGET,
        minMutations: MIN_MUTATIONS,
        findingsDir: FINDINGS,
      });
      assert.ok(
        result.execs >= result.seeds + MIN_MUTATIONS,
        `${target.name}: mutated inputs ran (${result.execs} execs, ${result.seeds} seeds)`,
      );
      assert.equal(result.findings.length, 0, `${target.name} (seed ${SEED}):\n${describeFindings(result)}`);
    });
  }
});
