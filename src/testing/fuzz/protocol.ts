/** Messages between the fuzz runner and its worker thread. */

export interface ExecRequest {
  input: Uint8Array;
  chunkSeed: number;
}

export type ExecOutcome =
  /** The reader returned or rejected the input with its defined error; `signature` names which. */
  | { status: 'pass'; signature: string; largestAllocation: number; measures?: ExecMeasures }
  | {
      status: 'finding';
      kind: FindingKind;
      message: string;
      stack: string;
      largestAllocation: number;
      measures?: ExecMeasures;
    };

/** What an exec cost: the worker times it, the host watches the process's resident memory meanwhile. */
export interface ExecMeasures {
  elapsedMs: number;
  /** How far the resident set grew above where it was when the exec began. */
  rssGrowthMiB: number;
}

export type FindingKind = 'exception' | 'allocation' | 'stray-error' | 'hang' | 'worker-crash' | 'slow' | 'memory';

export interface WorkerSetup {
  target: string;
  scratch: string;
}
