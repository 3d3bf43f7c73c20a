/**
 * The fuzzer's budget oracles (issue #26): an exec that returns, or rejects its input as it
 * should, is still a finding when it took too long for its size or held too much memory.
 * Work must be linear in the input and memory within kpkg verify's documented bound
 * (MEMORY_BOUND_MIB in src/reader/limits.ts, docs/usage.md#limits).
 */
import { memoryBoundMiB } from '../../reader/limits.js';
import type { ExecMeasures } from './protocol.js';

/** Any exec may take this long… */
export const SLOW_BASE_MS = 1000;
/** …and this much more per KiB of input (compressed inputs expand: gzip packs tar headers 50–100:1). */
export const SLOW_MS_PER_KIB = 100;

/** How long an exec on `inputBytes` bytes may take before it is a 'slow' finding. */
export function slowAfterMs(inputBytes: number): number {
  return SLOW_BASE_MS + (SLOW_MS_PER_KIB * inputBytes) / 1024;
}

/** What is over budget in an exec's measures, in words; undefined when nothing is. */
export function overBudget(
  measures: ExecMeasures,
  inputBytes: number,
): { kind: 'slow' | 'memory'; message: string } | undefined {
  const bound = memoryBoundMiB(1);
  if (measures.rssGrowthMiB > bound)
    return {
      kind: 'memory',
      message: `the resident set grew by ${measures.rssGrowthMiB.toFixed(0)} MiB on ${inputBytes} bytes of input, over verify's bound of ${bound} MiB for one package`,
    };
  const slowAfter = slowAfterMs(inputBytes);
  if (measures.elapsedMs > slowAfter)
    return {
      kind: 'slow',
      message: `took ${measures.elapsedMs.toFixed(0)} ms on ${inputBytes} bytes of input, over ${slowAfter.toFixed(0)} ms (${SLOW_BASE_MS} ms + ${SLOW_MS_PER_KIB} ms per KiB)`,
    };
  return undefined;
}
