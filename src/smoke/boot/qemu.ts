/**
 * Runs qemu-system with the serial console on its stdout, under an outer timeout, and collects the
 * console line by line with the time each line arrived. What a hostile kernel prints is bounded:
 * lines are cut at MAX_LINE_CHARS and the transcript at MAX_LINES (the rest is counted, not kept).
 */
import { spawn } from 'node:child_process';
import { KpkgError } from '../../util/errors.js';
import type { ConsoleLine } from './console.js';

export const MAX_LINES = 20_000;
export const MAX_LINE_CHARS = 2_000;

export interface QemuRunResult {
  lines: ConsoleLine[];
  /** Lines past MAX_LINES, not kept. */
  droppedLines: number;
  /** qemu's exit code; 128 + signal when killed. */
  exitCode: number;
  timedOut: boolean;
  seconds: number;
}

export interface QemuRunOptions {
  timeoutMs: number;
  /** Each console line as it comes (--verbose). */
  onLine?: ((line: string) => void) | undefined;
}

const SIGNALS: Readonly<Record<string, number>> = { SIGKILL: 9, SIGTERM: 15, SIGINT: 2, SIGHUP: 1 };

/** Splits a byte stream into bounded lines. */
class LineCollector {
  readonly lines: ConsoleLine[] = [];
  droppedLines = 0;
  private partial = '';

  constructor(
    private readonly started: number,
    private readonly onLine: ((line: string) => void) | undefined,
  ) {}

  push(chunk: string): void {
    let text = this.partial + chunk;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n')) {
      this.add(text.slice(0, newline));
      text = text.slice(newline + 1);
    }
    // A line that never ends is cut, not held.
    if (text.length > MAX_LINE_CHARS) {
      this.add(text);
      text = '';
    }
    this.partial = text;
  }

  end(): void {
    if (this.partial !== '') this.add(this.partial);
    this.partial = '';
  }

  private add(raw: string): void {
    const text = raw.length > MAX_LINE_CHARS ? `${raw.slice(0, MAX_LINE_CHARS)}…` : raw;
    this.onLine?.(text);
    if (this.lines.length >= MAX_LINES) {
      this.droppedLines++;
      return;
    }
    this.lines.push({ at: Math.round((performance.now() - this.started) / 100) / 10, text });
  }
}

export function runQemu(argv: readonly string[], options: QemuRunOptions): Promise<QemuRunResult> {
  const [program, ...args] = argv;
  if (program === undefined) throw new Error('internal: runQemu without a program');
  const started = performance.now();
  const collector = new LineCollector(started, options.onLine);
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let timedOut = false;
    let exited = false;
    // 'close' waits for the console pipes to close as well as for qemu to exit: after a timeout,
    // a process qemu left behind holding them must not keep the run going.
    const releaseConsole = (): void => {
      child.stdout.destroy();
      child.stderr.destroy();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      if (exited) releaseConsole();
      else child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('exit', () => {
      exited = true;
      if (timedOut) releaseConsole();
    });
    child.stdout.setEncoding('latin1').on('data', (chunk: string) => collector.push(chunk));
    child.stderr.setEncoding('latin1').on('data', (chunk: string) => collector.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? new KpkgError(`${program} is not installed`, {
              hint: `apt-get install ${qemuPackage(program)} (or run tools/install-deps)`,
            })
          : error,
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      collector.end();
      resolve({
        lines: collector.lines,
        droppedLines: collector.droppedLines,
        exitCode: code ?? 128 + (signal === null ? 0 : (SIGNALS[signal] ?? 0)),
        timedOut,
        seconds: Math.round((performance.now() - started) / 100) / 10,
      });
    });
  });
}

/** The Debian package of a qemu-system-* program. */
export function qemuPackage(program: string): string {
  const machine = program.replace(/^qemu-system-/, '');
  if (machine === 'aarch64' || machine === 'arm') return 'qemu-system-arm';
  if (machine.startsWith('ppc')) return 'qemu-system-ppc';
  if (machine === 'i386' || machine === 'x86_64') return 'qemu-system-x86';
  return 'qemu-system-misc';
}
