/**
 * What a sandboxed command in the target rootfs may use (src/smoke/sandbox/). Each bound is enforced
 * twice where the kernel allows: by an rlimit the kernel applies to every process (RLIMIT_NPROC,
 * RLIMIT_FSIZE), and by kpkg's watchdog, which samples the whole sandbox and kills all of it when a
 * bound is crossed (the memory of all its processes together, their number, the disk it has filled).
 */
import { KpkgError } from '../../util/errors.js';

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

/** What `--limit` accepts, with the unit each value is in. */
const LIMIT_NAMES = {
  time: 'seconds',
  processes: 'a count',
  memory: 'a size (e.g. 2G, 512M)',
  disk: 'a size (e.g. 8G, 512M)',
} as const;

type LimitName = keyof typeof LIMIT_NAMES;

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, K: 1024, M: 1024 ** 2, G: GIB, T: 1024 * GIB };

/** A size such as 512M, 4G, 1.5G or 1048576 (bytes), or undefined when it is none. */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([KMGT]?)(?:i?B)?$/i.exec(text.trim());
  if (match === null) return undefined;
  const bytes = Number(match[1]) * (SIZE_UNITS[(match[2] ?? '').toUpperCase()] ?? Number.NaN);
  return Number.isFinite(bytes) && bytes >= 1 ? Math.floor(bytes) : undefined;
}

function parseLimitValue(name: LimitName, text: string): number | undefined {
  if (name === 'memory' || name === 'disk') return parseSize(text);
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) return undefined;
  return name === 'time' ? Math.round(value * 1000) : Number.isInteger(value) ? value : undefined;
}

function isLimitName(name: string): name is LimitName {
  return Object.hasOwn(LIMIT_NAMES, name);
}

/** DEFAULT_LIMITS with each `name=value` of `specs` (smoke's --limit) in place; a bad one is a usage error. */
export function limitsFrom(specs: readonly string[], base: SandboxLimits = DEFAULT_LIMITS): SandboxLimits {
  const limits: { -readonly [K in keyof SandboxLimits]: SandboxLimits[K] } = { ...base };
  for (const spec of specs) {
    const [name = '', text = ''] = spec.split('=', 2);
    const usage = (what: string): KpkgError =>
      new KpkgError(`--limit ${spec}: ${what}`, {
        hint: `give one of ${Object.entries(LIMIT_NAMES)
          .map(([n, unit]) => `${n}=<${unit}>`)
          .join(', ')}`,
        exitCode: 2,
      });
    if (!isLimitName(name)) throw usage(`'${name}' is not a limit`);
    const value = parseLimitValue(name, text);
    if (value === undefined) throw usage(`'${text}' is not ${LIMIT_NAMES[name]}`);
    if (name === 'time') limits.timeMs = value;
    else if (name === 'processes') limits.processes = value;
    else if (name === 'memory') limits.memoryBytes = value;
    else limits.diskBytes = value;
  }
  return limits;
}
