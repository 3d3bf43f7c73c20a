/**
 * Reads the serial console of a `kpkg smoke --boot` run: the report lines of the init
 * (init-script.ts), and every Oops, BUG, WARNING or panic the kernel printed, marked or not.
 */
import type { BootReport, ModuleLoad, ModuleOrigin } from './report.js';
import { marker } from './init-script.js';

/** A console line and when it arrived, in seconds from qemu's start. */
export interface ConsoleLine {
  at: number;
  text: string;
}

/** What the console says; the runner adds the command, the kernel file and the timings of qemu itself. */
export type ConsoleReading = Pick<BootReport, 'secondsToInit' | 'uname' | 'modules' | 'taint' | 'problems'> & {
  /** The init wrote its last line. */
  finished: boolean;
  /** Each load and unload the init ran, with its exit code. */
  operations: { kind: string; name: string; exitCode: number; said: string[] }[];
};

/** Kernel messages that mean something went wrong in the kernel, wherever they come from. */
const PROBLEM =
  /\b(Oops\b|BUG:|WARNING:|Kernel panic|Unable to handle kernel|general protection fault|kernel BUG at|Internal error:)/;

/**
 * A problem line once: the kernel prints it on the console and the init replays it from dmesg
 * ("kernel [    1.234] WARNING: …"), so both are read without the marker's word and the timestamp.
 */
function addProblem(problems: string[], line: string): void {
  const text = line.replace(/^kernel /, '').replace(/^\[\s*[\d.]+\]\s*/, '');
  if (!problems.includes(text)) problems.push(text);
}

/** The letters of /proc/sys/kernel/tainted's bits, in bit order (kernel/panic.c, taint_flags). */
const TAINT_LETTERS = 'PFSRMBUDAWCIOELKXTNJ';

export function taintFlags(value: number): string {
  return TAINT_LETTERS.split('')
    .filter((_letter, bit) => (value & (1 << bit)) !== 0)
    .join('');
}

interface Operation {
  kind: string;
  name: string;
  exitCode: number;
  said: string[];
}

/** The modules /proc/modules listed (its lines after the marker's "proc"). */
function loadedNames(procLines: readonly string[]): Set<string> {
  return new Set(procLines.map((line) => line.split(/\s+/)[0] ?? '').filter((n) => n !== ''));
}

function moduleLoads(
  operations: readonly Operation[],
  origins: ReadonlyMap<string, ModuleOrigin>,
  procLines: readonly string[],
): ModuleLoad[] {
  const loaded = loadedNames(procLines);
  const loads: ModuleLoad[] = [];
  for (const [name, origin] of origins) {
    const load = operations.find((op) => op.name === name && (op.kind === 'modprobe' || op.kind === 'insmod'));
    const unload = operations.find((op) => op.name === name && op.kind === 'rmmod');
    loads.push({
      name,
      origin,
      loaded: load !== undefined && load.exitCode === 0 && loaded.has(name),
      kernelSays: load?.said ?? [],
      ...(unload === undefined ? {} : { unloaded: unload.exitCode === 0 }),
    });
  }
  return loads;
}

/**
 * The console of a run whose init used `nonce`, which was to load `origins` (name → where it
 * comes from), in that order.
 */
export function readConsole(
  lines: readonly ConsoleLine[],
  nonce: string,
  origins: ReadonlyMap<string, ModuleOrigin>,
): ConsoleReading {
  const prefix = `${marker(nonce)} `;
  const operations: Operation[] = [];
  const procLines: string[] = [];
  const problems: string[] = [];
  let current: Operation | undefined;
  const reading: ConsoleReading = { modules: [], problems, finished: false, operations };
  for (const { at, text: raw } of lines) {
    // The s390 SCLP console (console=ttysclp0 on qemu's s390-ccw-virtio) starts lines with a carriage return.
    const text = raw.replaceAll('\r', '');
    if (PROBLEM.test(text)) addProblem(problems, text.startsWith(prefix) ? text.slice(prefix.length) : text);
    if (!text.startsWith(prefix)) continue;
    const rest = text.slice(prefix.length);
    const [word = '', ...args] = rest.split(' ');
    const tail = rest.slice(word.length + 1);
    switch (word) {
      case 'init':
        reading.secondsToInit ??= at;
        break;
      case 'uname':
        reading.uname = tail;
        break;
      case 'begin':
        current = { kind: args[0] ?? '', name: args[1] ?? '', exitCode: -1, said: [] };
        break;
      case 'out':
      case 'kernel':
        if (tail.trim() !== '') current?.said.push(tail.replace(/^\[\s*[\d.]+\]\s*/, ''));
        break;
      case 'end':
        if (current !== undefined) {
          current.exitCode = Number(args[2] ?? '-1');
          operations.push(current);
          current = undefined;
        }
        break;
      case 'proc':
        procLines.push(tail);
        break;
      case 'taint': {
        const value = Number(tail);
        if (Number.isInteger(value)) reading.taint = { value, flags: taintFlags(value) };
        break;
      }
      case 'done':
        reading.finished = true;
        break;
    }
  }
  reading.modules = moduleLoads(operations, origins, procLines);
  return reading;
}

/** Why a boot did not pass, one line each; `release` is what uname -r must print. */
export function bootFailures(
  reading: ConsoleReading,
  release: string,
  exit: { timedOut: boolean; seconds: number },
): string[] {
  const failures: string[] = [];
  if (reading.secondsToInit === undefined) {
    failures.push(
      exit.timedOut
        ? `the kernel did not reach /init within ${exit.seconds} s (qemu killed)`
        : 'qemu ended before the kernel reached /init',
    );
  }
  if (reading.uname !== undefined && reading.uname !== release)
    failures.push(`uname -r printed '${reading.uname}', not the packaged release ${release}`);
  for (const module of reading.modules) {
    if (!module.loaded)
      failures.push(
        `${module.name} (${module.origin === 'built' ? 'built against the headers' : "the image's own"}) did not load: ${module.kernelSays.join(' / ') || 'no word from the kernel'}`,
      );
    else if (module.unloaded === false)
      failures.push(`${module.name} did not unload: ${unloadWords(reading, module.name)}`);
  }
  for (const problem of reading.problems) failures.push(`the kernel reported: ${problem}`);
  if (reading.secondsToInit !== undefined && !reading.finished)
    failures.push(
      exit.timedOut ? `the init did not finish within ${exit.seconds} s (qemu killed)` : 'the init did not finish',
    );
  return failures;
}

function unloadWords(reading: ConsoleReading, name: string): string {
  const said = reading.operations.find((op) => op.kind === 'rmmod' && op.name === name)?.said ?? [];
  return said.join(' / ') || 'no word from the kernel';
}
