/** An arch table row as shell assignments, for tools/kernel-tree (see arch-shell-main.ts). */
import { BOOT_KCONFIG, type ArchInfo } from '../arch/arch-table.js';

/** A value as a single-quoted shell word. */
function shellWord(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * debian, srcarch (what kernel-tree passes as ARCH=, so that x86's tinyconfig asks for 64BIT),
 * cross (CROSS_COMPILE; empty for the build machine's own architecture, whose plain gcc builds it)
 * and bootoptions (what the tree needs to boot on the row's qemu-system machine; empty without one).
 */
export function shellAssignments(arch: ArchInfo, host: ArchInfo | undefined): string {
  const facts: readonly (readonly [string, string])[] = [
    ['debian', arch.debian],
    ['srcarch', arch.srcArch],
    ['cross', arch.debian === host?.debian ? '' : arch.crossPrefix],
    ['bootoptions', bootOptions(arch).join(' ')],
  ];
  return facts.map(([name, value]) => `${name}=${shellWord(value)}\n`).join('');
}

/** The options a tree gets so that it boots on the row's machine: none without a machine. */
export function bootOptions(arch: ArchInfo): readonly string[] {
  const machine = arch.qemuSystem;
  return machine === undefined ? [] : [...BOOT_KCONFIG, ...machine.consoleKconfig, ...machine.kconfig];
}
