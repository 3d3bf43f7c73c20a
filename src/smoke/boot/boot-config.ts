/**
 * Whether a kernel can boot on its architecture's qemu-system machine and report from an initramfs,
 * read from the configuration its packages ship — checked before booting, so that a kernel without
 * the console driver is refused with the options to add instead of a silent console and a timeout.
 */
import { BOOT_KCONFIG, type ArchInfo, type QemuSystem } from '../../arch/arch-table.js';

/** The options a kernel needs built in (=y) to boot on `machine` and run kpkg's init. */
export function requiredBootOptions(machine: QemuSystem): readonly string[] {
  return [...BOOT_KCONFIG, ...machine.consoleKconfig];
}

/** The CONFIG_ symbols set to y in a .config (=m does not count: nothing loads a module before init). */
export function builtInOptions(configText: string): ReadonlySet<string> {
  const set = new Set<string>();
  for (const line of configText.split('\n')) {
    const match = /^CONFIG_([A-Za-z0-9_]+)=y$/.exec(line.trim());
    if (match?.[1] !== undefined) set.add(match[1]);
  }
  return set;
}

export interface BootConfigVerdict {
  /** Options `required` names that the configuration does not build in, in that order. */
  missing: string[];
  /** A Kconfig fragment that adds them (for scripts/kconfig/merge_config.sh or scripts/config). */
  fragment: string;
}

/** What a configuration lacks to boot on `arch`'s machine; `missing` is empty when nothing does. */
export function bootConfigVerdict(configText: string, machine: QemuSystem): BootConfigVerdict {
  const builtIn = builtInOptions(configText);
  const missing = requiredBootOptions(machine).filter((option) => !builtIn.has(option));
  return { missing, fragment: missing.map((option) => `CONFIG_${option}=y\n`).join('') };
}

/** The one-line refusal: which machine, which file, what is missing and where the fragment goes. */
export function bootConfigRefusal(
  arch: ArchInfo,
  machine: QemuSystem,
  configPath: string,
  verdict: BootConfigVerdict,
): string {
  return (
    `the kernel cannot boot on ${machine.binary} ${machine.machineArgs.join(' ')} (console ${machine.console}): ` +
    `${configPath} lacks ${verdict.missing.map((o) => `CONFIG_${o}=y`).join(' ')}; ` +
    `add them to the ${arch.debian} tree's .config (e.g. scripts/config ${verdict.missing.map((o) => `-e ${o}`).join(' ')} && make olddefconfig), rebuild and package again`
  );
}
