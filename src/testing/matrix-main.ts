/**
 * tools/matrix: runs the target matrix (matrix.ts) one cell after another — kernel trees are built
 * one at a time — and prints the matrix table and a row per cell. Exit 1 when a cell failed (its
 * packages, or the module built against them does not load into the booted kernel); a cell the
 * mirror stopped is marked, not failed.
 *   node dist/testing/matrix-main.js [--cells 6.12/tiny/s390x,6.12/full/arm64/rpm,…] [--markdown FILE]
 * A cell is series/config/arch, then /family for rpm, pacman and tar (deb without, or /deb).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  cellFailed,
  cellKey,
  detailTable,
  MATRIX,
  matrixTable,
  runCell,
  selectCells,
  type CellResult,
} from './matrix.js';

const { values } = parseArgs({ options: { cells: { type: 'string' }, markdown: { type: 'string' } } });
const { cells, unknown } = selectCells(values.cells);
if (unknown.length > 0) {
  process.stderr.write(`matrix: unknown cell ${unknown.join(', ')} (cells: ${MATRIX.map(cellKey).join(', ')})\n`);
  process.exit(2);
}
const started = performance.now();
const results: CellResult[] = [];
for (const [i, cell] of cells.entries()) {
  const result = await runCell(cell, (step) =>
    process.stderr.write(`matrix: [${i + 1}/${cells.length}] ${cellKey(cell)}: ${step}\n`),
  );
  const boot = result.boot === undefined ? '' : `, boot ${result.boot}`;
  const why = [result.detail, result.bootDetail].filter((d) => d !== undefined).join('; ');
  process.stderr.write(
    `matrix: [${i + 1}/${cells.length}] ${cellKey(cell)}: ${result.outcome}${boot} in ${result.seconds} s${why === '' ? '' : ` — ${why}`}\n`,
  );
  results.push(result);
}
const minutes = ((performance.now() - started) / 60_000).toFixed(1);
const passed = results.filter((r) => r.outcome === 'pass').length;
const loads = results.filter((r) => r.boot === 'loads').length;
const report = `${matrixTable(results)}\n${detailTable(results)}\n${passed} of ${results.length} cells ✅, ${loads} boot and load the module, in ${minutes} min\n`;
process.stdout.write(`\n${report}`);
if (values.markdown !== undefined) await writeFile(values.markdown, report);
if (results.some(cellFailed)) process.exitCode = 1;
