/**
 * What a sandboxed command in the target rootfs may use (src/smoke/sandbox/). Each bound is enforced
 * twice where the kernel allows: by an rlimit the kernel applies to every process (RLIMIT_NPROC,
 * RLIMIT_FSIZE), and by kpkg's watchdog, which samples the whole sandbox and kills all of it when a
 * bound is crossed (the memory of all its processes together, their number, the disk it has filled).
 */
export interface SandboxLimits {
  /** Processes at once; reaching it ends the command ("forks without end"). */
  readonly processes: number;
  /** Resident memory of all the sandbox's processes together, in bytes. */
  readonly memoryBytes: number;
  /** How much the file system holding the rootfs may fill while a command runs, in bytes. */
  readonly diskBytes: number;
  /** Wall time of one command, in milliseconds. */
  readonly timeMs: number;
}

const GIB = 1024 ** 3;

/**
 * Enough for the largest legitimate work smoke does (a DKMS build under qemu-user: make -j on two
 * cores, cc1 at a few hundred MiB each; a 6.12 full headers package installed), far from what would
 * hurt a build machine.
 */
export const DEFAULT_LIMITS: SandboxLimits = {
  processes: 1024,
  memoryBytes: 4 * GIB,
  diskBytes: 8 * GIB,
  timeMs: 30 * 60 * 1000,
};

/** Why the watchdog ended a command. */
export type LimitCrossed = 'processes' | 'memory' | 'disk' | 'time';
