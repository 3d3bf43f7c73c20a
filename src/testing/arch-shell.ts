/** An arch table row as shell assignments, for tools/kernel-tree (see arch-shell-main.ts). */
import type { ArchInfo } from '../arch/arch-table.js';

/** A value as a single-quoted shell word. */
function shellWord(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * debian, srcarch (what kernel-tree passes as ARCH=, so that x86's tinyconfig asks for 64BIT) and
 * cross (CROSS_COMPILE; empty for the build machine's own architecture, whose plain gcc builds it).
 */
export function shellAssignments(arch: ArchInfo, host: ArchInfo | undefined): string {
  const facts: readonly (readonly [string, string])[] = [
    ['debian', arch.debian],
    ['srcarch', arch.srcArch],
    ['cross', arch.debian === host?.debian ? '' : arch.crossPrefix],
  ];
  return facts.map(([name, value]) => `${name}=${shellWord(value)}\n`).join('');
}
