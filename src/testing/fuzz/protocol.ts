/** Messages between the fuzz runner and its worker thread. */

export interface ExecRequest {
  input: Uint8Array;
  chunkSeed: number;
}

export type ExecOutcome =
  /** The reader returned or rejected the input with its defined error; `signature` names which. */
  | { status: 'pass'; signature: string; largestAllocation: number }
  | { status: 'finding'; kind: FindingKind; message: string; stack: string; largestAllocation: number };

export type FindingKind = 'exception' | 'allocation' | 'stray-error' | 'hang' | 'worker-crash';

export interface WorkerSetup {
  target: string;
  scratch: string;
}
