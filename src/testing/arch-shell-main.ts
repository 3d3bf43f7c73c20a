/**
 * tools/kernel-tree's architecture facts: prints the row of one architecture name (any name
 * findArch takes: amd64, x86_64, armel ...) as shell assignments, for `eval`.
 *   node dist/testing/arch-shell-main.js NAME
 */
import { findArch } from '../arch/arch-table.js';
import type { ArchInfo } from '../arch/arch-table.js';
import { hostArch } from '../arch/host.js';
import { shellAssignments } from './arch-shell.js';

function hostRow(): ArchInfo | undefined {
  try {
    return hostArch();
  } catch {
    return undefined;
  }
}

const name = process.argv[2] ?? '';
const arch = findArch(name);
if (arch === undefined) {
  process.stderr.write(`arch-shell: error: '${name}' names no row of kpkg's arch table (src/arch/arch-table.ts)\n`);
  process.exitCode = 1;
} else {
  process.stdout.write(shellAssignments(arch, hostRow()));
}
