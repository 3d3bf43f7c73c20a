/**
 * The fuzz worker thread: runs one target's execs as the runner sends them and answers with the
 * outcome. Runs in its own thread so the runner can time an exec out and terminate a hang, and
 * with its allocators watched (alloc-guard.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AllocationGuard, AllocationTooLarge } from './alloc-guard.js';
import type { ExecOutcome, ExecRequest, WorkerSetup } from './protocol.js';
import { isDefinedRejection, targetNamed } from './targets.js';

/** An exec may allocate this much beyond 16 times its input, no more (no allocation driven by a declared size). */
const ALLOCATION_SLACK = 16 * 1024 * 1024;
const ALLOCATION_FACTOR = 16;

/** A rejection message with numbers and quoted names blanked: distinct ones are distinct behaviours. */
function signatureOf(message: string): string {
  const firstLine = message.split('\n', 1)[0] ?? '';
  return firstLine
    .replace(/'[^']*'|"[^"]*"/g, "'_'")
    .replace(/\d+/g, 'N')
    .slice(0, 160);
}

function describe(error: unknown): { message: string; stack: string } {
  if (error instanceof Error) {
    const causes: string[] = [];
    for (let cause: unknown = error.cause; cause instanceof Error && causes.length < 4; cause = cause.cause)
      causes.push(`caused by: ${cause.stack ?? cause.message}`);
    return { message: `${error.name}: ${error.message}`, stack: [error.stack ?? error.message, ...causes].join('\n') };
  }
  return { message: String(error), stack: String(error) };
}

const port = parentPort;
if (port === null) throw new Error('worker.ts runs as a worker thread of the fuzz runner');
const setup = workerData as WorkerSetup;
const target = targetNamed(setup.target);
const guard = new AllocationGuard();
guard.install();

const strays: unknown[] = [];
process.on('unhandledRejection', (reason) => strays.push(reason));
process.on('uncaughtException', (error) => strays.push(error));

port.on('message', (request: ExecRequest) => {
  void (async (): Promise<void> => {
    const input = Buffer.from(request.input.buffer, request.input.byteOffset, request.input.byteLength);
    guard.begin(input.length * ALLOCATION_FACTOR + ALLOCATION_SLACK);
    let thrown: unknown;
    let threw = false;
    let verdict: string | undefined;
    const started = performance.now();
    try {
      verdict = await target.exec(input, { scratch: setup.scratch, chunkSeed: request.chunkSeed });
    } catch (error) {
      threw = true;
      thrown = error;
    }
    const elapsedMs = performance.now() - started;
    // Let late rejections and stream errors of this exec surface before judging it.
    await new Promise((resolve) => setImmediate(resolve));
    const { largest, refused } = guard.end();
    let outcome: ExecOutcome;
    if (refused !== undefined)
      outcome = { status: 'finding', kind: 'allocation', ...describe(refused), largestAllocation: largest };
    else if (strays.length > 0)
      outcome = { status: 'finding', kind: 'stray-error', ...describe(strays[0]), largestAllocation: largest };
    else if (threw && !(isDefinedRejection(thrown) && !(thrown instanceof AllocationTooLarge)))
      outcome = { status: 'finding', kind: 'exception', ...describe(thrown), largestAllocation: largest };
    else
      outcome = {
        status: 'pass',
        signature: signatureOf(threw ? describe(thrown).message : `ok ${verdict ?? ''}`),
        largestAllocation: largest,
      };
    strays.length = 0;
    port.postMessage({ ...outcome, measures: { elapsedMs, rssGrowthMiB: 0 } } satisfies ExecOutcome);
  })();
});
