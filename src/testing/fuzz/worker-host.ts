/**
 * The runner's side of a fuzz worker: sends one exec at a time, times it out, and replaces the
 * worker after a hang (terminated), a crash or running out of memory — each of those a finding.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ExecOutcome, ExecRequest, WorkerSetup } from './protocol.js';

/** The heap a worker may use; a reader that builds huge JS structures from a declared count dies here. */
const WORKER_HEAP_MB = 512;

/** How often the resident memory is sampled while an exec runs. */
const RSS_SAMPLE_MS = 20;

/** Extra time for the first exec of a new worker (module loading). */
const STARTUP_ALLOWANCE_MS = 30_000;

export class WorkerHost {
  #worker: Worker | undefined;
  #scratch: string | undefined;

  constructor(private readonly target: string) {}

  async #start(): Promise<Worker> {
    this.#scratch ??= await mkdtemp(join(tmpdir(), `kpkg-fuzz-${this.target}-`));
    const setup: WorkerSetup = { target: this.target, scratch: this.#scratch };
    const worker = new Worker(new URL('./worker.js', import.meta.url), {
      workerData: setup,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      stdout: true,
      stderr: true,
    });
    // The readers' own output (none expected) is dropped rather than mixed into the report.
    worker.stdout.resume();
    worker.stderr.resume();
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  /** Runs one exec; a hang, crash or out-of-memory ends the worker and comes back as a finding. */
  async run(request: ExecRequest, timeoutMs: number): Promise<ExecOutcome> {
    // A new worker first loads the readers' modules: on a loaded machine that alone can take
    // seconds, which is not the input's doing.
    const limit = this.#worker === undefined ? timeoutMs + STARTUP_ALLOWANCE_MS : timeoutMs;
    const worker = this.#worker ?? (await this.#start());
    // The exec's resident memory: the worker is a thread of this process, idle here meanwhile.
    const rssAtStart = process.memoryUsage.rss();
    let rssPeak = rssAtStart;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), RSS_SAMPLE_MS);
    return new Promise<ExecOutcome>((resolve) => {
      const finish = (outcome: ExecOutcome, restart: boolean): void => {
        clearInterval(sampler);
        rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
        const rssGrowthMiB = (rssPeak - rssAtStart) / (1024 * 1024);
        outcome.measures = { elapsedMs: outcome.measures?.elapsedMs ?? limit, rssGrowthMiB };
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (restart) {
          this.#worker = undefined;
          void worker.terminate();
        }
        resolve(outcome);
      };
      const onMessage = (outcome: ExecOutcome): void => finish(outcome, false);
      const onError = (error: Error): void =>
        finish(
          {
            status: 'finding',
            kind: 'worker-crash',
            message: `${error.name}: ${error.message}`,
            stack: error.stack ?? error.message,
            largestAllocation: 0,
          },
          true,
        );
      const onExit = (code: number): void =>
        finish(
          {
            status: 'finding',
            kind: 'worker-crash',
            message: `the worker exited with code ${code}`,
            stack: '',
            largestAllocation: 0,
          },
          true,
        );
      const timer = setTimeout(
        () =>
          finish(
            {
              status: 'finding',
              kind: 'hang',
              message: `no answer within ${limit} ms`,
              stack: '',
              largestAllocation: 0,
            },
            true,
          ),
        limit,
      );
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      // A copy, transferred: the runner keeps its input for the corpus and the findings.
      const copy = new Uint8Array(request.input);
      worker.postMessage({ input: copy, chunkSeed: request.chunkSeed } satisfies ExecRequest, [copy.buffer]);
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker !== undefined) await worker.terminate();
    if (this.#scratch !== undefined) await rm(this.#scratch, { recursive: true, force: true });
  }
}
