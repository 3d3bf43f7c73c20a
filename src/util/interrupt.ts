/**
 * What kpkg does on SIGINT, SIGTERM and SIGHUP (Ctrl-C, a cancelled CI job, a closed terminal):
 * 1. lets a critical section finish — moving a complete package set into --out takes
 *    milliseconds, and a set must end all old or all new;
 * 2. stops every process it started (src/util/descendants.ts);
 * 3. runs the registered cleanups, newest first: temporary and scratch directories, staging
 *    directories and partial files in --out, half-built cache entries;
 * 4. exits with 128 + the signal's number (130, 143, 129).
 * A second signal kills the processes at once and exits without cleaning up.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { killDescendantsNow, stopDescendants } from './descendants.js';

export type Cleanup = () => Promise<void> | void;

const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
type HandledSignal = keyof typeof SIGNAL_NUMBERS;

const cleanups: { run: Cleanup }[] = [];
let received: HandledSignal | undefined;
let criticalSections = 0;
let criticalDone: (() => void) | undefined;

/** Registers a cleanup for an interrupt; the returned function unregisters it (call it once the thing is gone). */
export function onInterrupt(run: Cleanup): () => void {
  const entry = { run };
  cleanups.push(entry);
  return () => {
    const at = cleanups.indexOf(entry);
    if (at >= 0) cleanups.splice(at, 1);
  };
}

/** Whether a signal has arrived (the run is being stopped: nothing more to report). */
export function interrupted(): boolean {
  return received !== undefined;
}

/**
 * Runs `body` to its end even when a signal arrives meanwhile (the signal is handled right after).
 * After a signal, a new critical section never starts: the process is about to exit.
 */
export async function critical<T>(body: () => Promise<T>): Promise<T> {
  if (received !== undefined) return new Promise<T>(() => undefined);
  criticalSections++;
  try {
    return await body();
  } finally {
    criticalSections--;
    if (criticalSections === 0) criticalDone?.();
  }
}

/** How long work may hold the event loop before letTheLoopTurn gives a signal's handler its turn. */
export const LOOP_TURN_MS = 50;
let lastTurn = performance.now();

/**
 * Called often by long loops (a package's members, the checks): at most every LOOP_TURN_MS it
 * waits for one turn of the event loop, where a pending SIGINT/SIGTERM handler runs. Loops over
 * buffered data run on promises alone and would otherwise keep the handler out for as long as
 * they last. After a signal it never returns: the handler exits the process.
 */
export async function letTheLoopTurn(): Promise<void> {
  // Stopping: the work waits for the exit, leaving the loop to the handler.
  if (received !== undefined) return new Promise<void>(() => undefined);
  if (performance.now() - lastTurn < LOOP_TURN_MS) return;
  await nextTurn();
  lastTurn = performance.now();
}

/** A long piece of work cut into steps: it yields between them and returns its result at the end. */
export type Steps<T> = Generator<void, T, undefined>;

/** Runs the steps to their end at once. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** Runs the steps to their end, letting the event loop turn between them (letTheLoopTurn). */
export async function runStepsTurning<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    await letTheLoopTurn();
  }
}

async function runCleanups(list: readonly { run: Cleanup }[]): Promise<void> {
  for (const { run } of [...list].reverse()) {
    try {
      await run();
    } catch {
      // Best effort: the next one may still succeed.
    }
  }
}

async function stop(signal: HandledSignal, write: (text: string) => void): Promise<void> {
  const code = 128 + SIGNAL_NUMBERS[signal];
  if (received !== undefined) {
    killDescendantsNow();
    process.exit(code);
  }
  received = signal;
  write(`\nkpkg: ${signal}: stopping, removing temporary files (again to kill at once)\n`);
  if (criticalSections > 0) await new Promise<void>((resolve) => (criticalDone = resolve));
  await stopDescendants();
  // The rest of the run goes on meanwhile (a pool starts its next compiler when one fails): kill
  // what it started, clean up again (the cleanups can run twice), and exit without yielding.
  const list = cleanups.splice(0);
  await runCleanups(list);
  killDescendantsNow();
  await runCleanups(list);
  killDescendantsNow();
  process.exit(code);
}

/** Installs the handlers (once, in the CLI's entry point). */
export function handleInterrupts(write: (text: string) => void = (text) => process.stderr.write(text)): void {
  for (const signal of Object.keys(SIGNAL_NUMBERS) as HandledSignal[]) {
    process.on(signal, () => void stop(signal, write));
  }
}
