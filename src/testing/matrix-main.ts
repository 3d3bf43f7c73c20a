/**
 * tools/matrix: runs the target matrix (matrix.ts) one cell after another — kernel trees are built
 * one at a time — and prints the matrix table and a row per cell. Exit 1 when a cell failed; a cell
 * the mirror stopped is marked, not failed.
 *   node dist/testing/matrix-main.js [--cells 6.12/tiny/s390x,newest/full/arm64,…] [--markdown FILE]
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { detailTable, MATRIX, matrixTable, runCell, type Cell, type CellResult } from './matrix.js';

const { values } = parseArgs({ options: { cells: { type: 'string' }, markdown: { type: 'string' } } });
const key = (c: Cell): string => `${c.series}/${c.config}/${c.arch}`;
const wanted = values.cells
  ?.split(',')
  .map((c) => c.trim())
  .filter((c) => c !== '');
const unknown = wanted?.filter((w) => !MATRIX.some((c) => key(c) === w)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(`matrix: unknown cell ${unknown.join(', ')} (cells: ${MATRIX.map(key).join(', ')})\n`);
  process.exit(2);
}
const cells = wanted === undefined ? MATRIX : MATRIX.filter((c) => wanted.includes(key(c)));
const started = performance.now();
const results: CellResult[] = [];
for (const [i, cell] of cells.entries()) {
  const result = await runCell(cell, (step) =>
    process.stderr.write(`matrix: [${i + 1}/${cells.length}] ${key(cell)}: ${step}\n`),
  );
  process.stderr.write(
    `matrix: [${i + 1}/${cells.length}] ${key(cell)}: ${result.outcome} in ${result.seconds} s${result.detail === undefined ? '' : ` — ${result.detail}`}\n`,
  );
  results.push(result);
}
const minutes = ((performance.now() - started) / 60_000).toFixed(1);
const report = `${matrixTable(results)}\n${detailTable(results)}\n${results.filter((r) => r.outcome === 'pass').length} of ${results.length} cells ✅ in ${minutes} min\n`;
process.stdout.write(`\n${report}`);
if (values.markdown !== undefined) await writeFile(values.markdown, report);
if (results.some((r) => r.outcome === 'fail')) process.exitCode = 1;
