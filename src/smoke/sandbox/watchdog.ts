/**
 * The watchdog of a sandboxed command (issue #31). Every interval it finds the command's processes
 * through /proc — the spawned process (bwrap) and every process descending from it — adds up their
 * resident memory, counts them, and measures how much the rootfs's file system has filled since the
 * start. At the first bound of SandboxLimits crossed it kills the command and keeps why, with the
 * command lines of the processes that were running. Wall time is the caller's: it has the timeout.
 *
 * cgroups would measure all of this exactly, but kpkg smoke must work as an ordinary user on machines
 * without cgroup delegation (cgroup v1, as on the CI machines), so the watchdog reads /proc instead.
 * A fork bomb may have thousands of processes: each sample is one readdir of /proc and one read of
 * each process's stat (its parent and resident pages together), read synchronously in slices with a
 * yield between them — through the thread pool the same reads cost five times the CPU.
 */
import { closeSync, openSync, readSync, statfsSync } from 'node:fs';
import { readdir, statfs } from 'node:fs/promises';
import { arch, endianness } from 'node:os';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { printable } from '../../util/printable.js';
import { parseProcStat, type ProcStat } from '../../util/proc-stat.js';
import type { LimitCrossed, SandboxLimits } from './limits.js';

export interface WatchdogVerdict {
  limit: LimitCrossed;
  /** One line: e.g. "the sandbox's processes used 4.1 GiB of memory together, over its 4 GiB limit". */
  reason: string;
  /** Command lines of the sandbox's processes when it was killed, most memory first, at most 8, printable. */
  processes: string[];
}

export interface Watchdog {
  /** Stops sampling; the verdict if the watchdog killed the command. */
  stop(): WatchdogVerdict | undefined;
}

export interface WatchdogOptions {
  limits: SandboxLimits;
  /** The rootfs directory: statfs of its file system measures the disk filled. */
  diskPath: string;
  /** Between samples; 250 ms unless told. */
  intervalMs?: number;
  /** Ends the command; SIGKILL to `pid` unless told. Must not throw. */
  kill?: (pid: number) => void;
}

/** What a sample measured: the command's processes and the bytes its file system filled since the start. */
export interface SandboxUsage {
  processes: readonly ProcessSample[];
  memoryBytes: number;
  diskBytes: number;
}

export interface ProcessSample {
  pid: number;
  comm: string;
  residentBytes: number;
}

const DEFAULT_INTERVAL_MS = 250;
/** Processes read between two yields to the event loop (a few milliseconds of work). */
const SLICE = 256;
const SHOWN_PROCESSES = 8;
const COMMAND_LINE_CHARS = 200;
/** Bytes of a cmdline read: always more than COMMAND_LINE_CHARS characters (at most 4 bytes each). */
const COMMAND_LINE_BYTES = 4 * COMMAND_LINE_CHARS + 1;
/** A stat line is well under 1 KiB (52 numbers and a 15-byte comm). */
const STAT_BYTES = 4096;
/** AT_PAGESZ in the auxiliary vector (<linux/auxvec.h>). */
const AT_PAGESZ = 6;
const FALLBACK_PAGE_SIZE = 4096;

/** `root` (when it is in `parents`) and every process descending from it, parents before children. */
export function processTree(parents: ReadonlyMap<number, number>, root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    const siblings = children.get(ppid);
    if (siblings === undefined) children.set(ppid, [pid]);
    else siblings.push(pid);
  }
  const found = parents.has(root) ? [root] : [];
  const seen = new Set<number>([root]);
  const queue = [root];
  for (let i = 0; i < queue.length; i++) {
    for (const child of children.get(queue[i] ?? root) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** A size in binary units with at most `decimals` decimals, trailing zeros dropped: "4.1 GiB", "4 GiB", "300 MiB". */
export function formatSize(bytes: number, decimals = 1): string {
  if (Math.abs(bytes) < 1024) return `${bytes} bytes`;
  let value = bytes;
  let unit = 'bytes';
  for (const next of UNITS) {
    if (Math.abs(value) < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${Number(value.toFixed(decimals))} ${unit}`;
}

/** `used` and `limit` formatted with enough decimals (up to 3) to tell them apart. */
function formatPair(used: number, limit: number): [string, string] {
  let pair: [string, string] = [formatSize(used), formatSize(limit)];
  for (let decimals = 2; decimals <= 3 && pair[0] === pair[1]; decimals++) {
    pair = [formatSize(used, decimals), formatSize(limit, decimals)];
  }
  return pair;
}

/** The first bound `usage` crosses, with the reason in words; undefined within all of them. */
export function crossing(
  usage: Pick<SandboxUsage, 'memoryBytes' | 'diskBytes'> & { processCount: number },
  limits: SandboxLimits,
): { limit: LimitCrossed; reason: string } | undefined {
  if (usage.processCount >= limits.processes) {
    return {
      limit: 'processes',
      reason: `the sandbox ran ${usage.processCount} processes at once, reaching its limit of ${limits.processes}`,
    };
  }
  if (usage.memoryBytes > limits.memoryBytes) {
    const [used, limit] = formatPair(usage.memoryBytes, limits.memoryBytes);
    return {
      limit: 'memory',
      reason: `the sandbox's processes used ${used} of memory together, over its ${limit} limit`,
    };
  }
  if (usage.diskBytes > limits.diskBytes) {
    const [used, limit] = formatPair(usage.diskBytes, limits.diskBytes);
    return {
      limit: 'disk',
      reason: `the sandbox filled ${used} of the file system holding its rootfs, over its ${limit} limit`,
    };
  }
  return undefined;
}

/** The start of a /proc/<pid>/cmdline as one printable line: arguments joined by spaces, cut at ~200 characters. */
export function commandLine(raw: Buffer): string {
  const text = raw.toString('utf8').replace(/\0+$/, '').replaceAll('\0', ' ');
  const chars = Array.from(text);
  const cut = chars.length > COMMAND_LINE_CHARS ? `${chars.slice(0, COMMAND_LINE_CHARS).join('')}…` : text;
  return printable(cut);
}

/** AT_PAGESZ from an auxiliary vector (/proc/self/auxv): pairs of native words, key then value. */
export function pageSizeFromAuxv(auxv: Buffer, wordBytes: 4 | 8, littleEndian: boolean): number | undefined {
  const word = (offset: number): number => {
    if (wordBytes === 4) return littleEndian ? auxv.readUInt32LE(offset) : auxv.readUInt32BE(offset);
    return Number(littleEndian ? auxv.readBigUInt64LE(offset) : auxv.readBigUInt64BE(offset));
  };
  for (let offset = 0; offset + 2 * wordBytes <= auxv.length; offset += 2 * wordBytes) {
    if (word(offset) === AT_PAGESZ) return word(offset + wordBytes);
  }
  return undefined;
}

/** The first `length` bytes of a file (a /proc file has no size to ask for), or undefined when it is gone. */
function readHead(path: string, buffer: Buffer, length = buffer.length): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined; // ENOENT: the process has ended.
  }
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, length, null));
  } catch {
    return undefined; // ESRCH: it ended between open and read.
  } finally {
    closeSync(fd);
  }
}

let cachedPageSize: number | undefined;

/** The kernel's page size (4 KiB on x86, often 16 or 64 KiB on arm64), which stat's rss counts in. */
export function pageSize(): number {
  if (cachedPageSize === undefined) {
    const auxv = readHead('/proc/self/auxv', Buffer.alloc(4096));
    const wordBytes = ['arm', 'ia32', 'mips', 'mipsel'].includes(arch()) ? 4 : 8;
    const found = auxv === undefined ? undefined : pageSizeFromAuxv(auxv, wordBytes, endianness() === 'LE');
    cachedPageSize = found !== undefined && found > 0 ? found : FALLBACK_PAGE_SIZE;
  }
  return cachedPageSize;
}

/** The bytes in use on the file system holding `path`. */
function usedBytes(stats: { blocks: number; bfree: number; bsize: number }): number {
  return (stats.blocks - stats.bfree) * stats.bsize;
}

/** pid → its stat fields, for every process in /proc (threads are not listed there: one entry a process). */
async function readProcesses(): Promise<Map<number, ProcStat>> {
  const names = await readdir('/proc');
  const buffer = Buffer.alloc(STAT_BYTES);
  const found = new Map<number, ProcStat>();
  for (let start = 0; start < names.length; start += SLICE) {
    if (start > 0) await yieldToLoop();
    for (const name of names.slice(start, start + SLICE)) {
      if (!/^\d+$/.test(name)) continue;
      const text = readHead(`/proc/${name}/stat`, buffer);
      const stat = text === undefined ? undefined : parseProcStat(text.toString('utf8'));
      if (stat !== undefined) found.set(Number(name), stat);
    }
  }
  return found;
}

/** The processes of the command `root` (zombies counted, with no memory) and what they hold. */
async function sampleProcesses(root: number): Promise<ProcessSample[]> {
  const all = await readProcesses();
  const parents = new Map<number, number>();
  for (const [pid, stat] of all) parents.set(pid, stat.ppid);
  const bytesPerPage = pageSize();
  return processTree(parents, root).map((pid) => {
    const stat = all.get(pid);
    return { pid, comm: stat?.comm ?? '', residentBytes: (stat?.residentPages ?? 0) * bytesPerPage };
  });
}

/** Command lines of the processes holding the most memory, for the verdict. */
function topCommandLines(processes: readonly ProcessSample[]): string[] {
  const buffer = Buffer.alloc(COMMAND_LINE_BYTES);
  return [...processes]
    .sort((a, b) => b.residentBytes - a.residentBytes || a.pid - b.pid)
    .slice(0, SHOWN_PROCESSES)
    .map((p) => {
      const raw = readHead(`/proc/${p.pid}/cmdline`, buffer);
      return raw !== undefined && raw.length > 0 ? commandLine(raw) : `[${printable(p.comm)}]`;
    });
}

function killNow(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Starts watching the command spawned as `pid`; the caller stops the watchdog when the command
 * ends. Throws when `diskPath` cannot be measured, so that no command runs unwatched.
 */
export function watchSandbox(pid: number, options: WatchdogOptions): Watchdog {
  const { limits, diskPath } = options;
  const kill = options.kill ?? killNow;
  const diskAtStart = usedBytes(statfsSync(diskPath));
  let verdict: WatchdogVerdict | undefined;
  let stopped = false;
  let sampling = false;

  async function measure(): Promise<SandboxUsage> {
    const processes = await sampleProcesses(pid);
    const disk = await statfs(diskPath);
    const memoryBytes = processes.reduce((sum, p) => sum + p.residentBytes, 0);
    return { processes, memoryBytes, diskBytes: usedBytes(disk) - diskAtStart };
  }

  async function sample(): Promise<void> {
    const usage = await measure().catch(() => undefined); // e.g. EMFILE: try again next tick
    if (usage === undefined || stopped) return;
    const crossed = crossing({ ...usage, processCount: usage.processes.length }, limits);
    if (crossed === undefined) return;
    verdict = { ...crossed, processes: topCommandLines(usage.processes) };
    stopped = true;
    clearInterval(timer);
    kill(pid);
  }

  const timer = setInterval(() => {
    if (sampling || stopped) return;
    sampling = true;
    void sample().finally(() => {
      sampling = false;
    });
  }, options.intervalMs ?? DEFAULT_INTERVAL_MS);
  timer.unref();

  return {
    stop(): WatchdogVerdict | undefined {
      stopped = true;
      clearInterval(timer);
      return verdict;
    },
  };
}
