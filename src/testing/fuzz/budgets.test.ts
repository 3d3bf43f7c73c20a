import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryBoundMiB } from '../../reader/limits.js';
import { overBudget, slowAfterMs } from './budgets.js';

test('an exec is over budget when slower than its size allows or holding more than the bound', () => {
  // The issue's .PKGINFO of 100k depend lines: 270 bytes that took 92 s.
  assert.equal(overBudget({ elapsedMs: 92_000, rssGrowthMiB: 20 }, 270)?.kind, 'slow');
  assert.equal(overBudget({ elapsedMs: slowAfterMs(270) - 1, rssGrowthMiB: 20 }, 270), undefined);
  assert.ok(slowAfterMs(100 * 1024) > slowAfterMs(1024), 'bigger inputs may take longer');
  // The control file of 20M continuation lines: 20 KB that grew the process by 1.9 GB.
  const memory = overBudget({ elapsedMs: 100, rssGrowthMiB: 1900 }, 20_000);
  assert.equal(memory?.kind, 'memory');
  assert.match(memory?.message ?? '', new RegExp(`over verify's bound of ${memoryBoundMiB(1)} MiB`));
  assert.equal(overBudget({ elapsedMs: 100, rssGrowthMiB: memoryBoundMiB(1) }, 20_000), undefined);
});
