/**
 * Test helper (not used by kpkg itself): the real output of dpkg, rpm and pacman installing
 * packages whose maintainer scripts fail or are denied, kept as golden files in the source tree
 * (src/smoke/install/testdata/, whose README says how they were captured); read from there, as
 * tsc copies no text files into dist/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkoutSourceRoot } from './import-graph.js';

/** The captured output `name` (e.g. 'dpkg-postinst-denied.txt'). */
export function installerOutput(name: string): string {
  return readFileSync(join(checkoutSourceRoot(import.meta.url), 'smoke/install/testdata', name), 'utf8');
}

/** Long lines of the characters package names and messages are made of, to catch a pattern that backtracks. */
const BACKTRACKING_BAIT = ['a-'.repeat(500), '(1/1) installing '.repeat(60), '-'.repeat(1000), 'a.'.repeat(500)];

/**
 * Output no installer prints but a hostile package can make it print: `lines` lines, most saying
 * it was denied something and each different, some long and made to make patterns backtrack, in
 * runs that look like a script starting (`starts`); then one line of megabytes.
 */
export function hostileOutput(lines: number, starts: string): string {
  const parts: string[] = [];
  for (let i = 0; i < lines; i++) {
    if (i % 1000 === 0) parts.push(starts);
    else if (i % 100 === 0) parts.push(BACKTRACKING_BAIT[(i / 100) % BACKTRACKING_BAIT.length] ?? '');
    else parts.push(`/x/${i}: cannot create /proc/sys/${i}: Read-only file system`);
  }
  return `${parts.join('\n')}\n${'Permission denied '.repeat(100_000)}\n`;
}
