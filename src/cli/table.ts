import { printable } from '../util/printable.js';

/** A two-column "label  value" table for human output; nested sections are indented; values made printable. */
export type TableRow = readonly [label: string, value: string] | { section: string };

export function formatTable(rows: readonly TableRow[]): string {
  const width = Math.max(...rows.map((r) => ('section' in r ? 0 : r[0].length)));
  return rows
    .map((r) => ('section' in r ? printable(r.section) : `  ${r[0].padEnd(width)}  ${printable(r[1])}`))
    .join('\n');
}

export function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}
