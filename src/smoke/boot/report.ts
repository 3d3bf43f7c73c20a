/**
 * What `kpkg smoke --boot` reports of a boot: the machine, how long the kernel took to reach the
 * initramfs /init, every module the init loaded or that the kernel refused — in the kernel's own
 * words — the taint, and every Oops, BUG, WARNING or panic the console showed.
 */

/** Where a loaded module came from. */
export type ModuleOrigin = 'image' | 'built';

export interface ModuleLoad {
  /** The module's name, e.g. crc_ccitt or kpkg_hello. */
  name: string;
  /** 'image': one of the image package's own modules, loaded with modprobe and the indexes it ships; 'built': built against the headers, loaded with insmod. */
  origin: ModuleOrigin;
  /** Whether it was in /proc/modules after loading. */
  loaded: boolean;
  /** What modprobe/insmod printed and the kernel logged while loading it, e.g. "kpkg_hello: disagrees about version of symbol module_layout". */
  kernelSays: string[];
  /** Whether it was unloaded again (undefined: not tried, e.g. the kernel has no MODULE_UNLOAD). */
  unloaded?: boolean | undefined;
}

export interface BootReport {
  /** Whether the kernel booted, reported its release, loaded every module and showed no Oops/BUG/WARNING/panic. */
  ok: boolean;
  /** The qemu command line, e.g. "qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on -m 512 …". */
  command: string;
  /** The kernel file the image package installed, as a path in the target, and whether kpkg decompressed it for qemu. */
  kernelFile: string;
  decompressed: boolean;
  /**
   * The installed packages left no modules.dep (pacman's packages leave it to an alpm hook, which a
   * Debian rootfs does not run), so kpkg ran the target's depmod before booting.
   */
  ranDepmod: boolean;
  /** Seconds from qemu's start to the init's first line; undefined when init never ran. */
  secondsToInit?: number | undefined;
  /** Seconds from qemu's start to its exit (or to the kill on timeout). */
  seconds: number;
  /** What `uname -r` printed on the target. */
  uname?: string | undefined;
  modules: ModuleLoad[];
  /** /proc/sys/kernel/tainted after loading, and its letters (e.g. "OE"). */
  taint?: { value: number; flags: string } | undefined;
  /** Oops, BUG, WARNING and panic lines of the console. */
  problems: string[];
  /** Why the boot did not pass, in one line each; empty when ok. */
  failures: string[];
  /** The whole serial console, in artifactsDir when given. */
  consoleFile?: string | undefined;
}
