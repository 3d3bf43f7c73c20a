import { availableParallelism } from 'node:os';

/**
 * Maps over items with at most `limit` promises in flight, keeping the input order in the result.
 * Used for file system walks and reads: one awaited read at a time is several times slower on a
 * headers tree, and unbounded parallelism runs out of file descriptors. After a failure no item is
 * started, and the ones running are waited for before it rejects with the first failure: a caller
 * cleaning up (removing the directory they write into) never races them.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}

/** Parallelism for file system work: I/O bound, so more than the core count. */
export const IO_PARALLELISM = 32;

/** Parallelism for compiler processes. */
export function cpuParallelism(): number {
  return availableParallelism();
}

/** At most `size` tasks at a time; the others wait in the order they asked. */
export class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = Math.max(1, size);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next === undefined) this.#free++;
      else next();
    }
  }
}

/**
 * Waits for every promise — so that nothing still runs when the caller cleans up after a failure —
 * and rejects with the first failure in the order given.
 */
export async function settledOrFirstError<T extends readonly unknown[]>(
  promises: readonly [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  const settled = await Promise.allSettled(promises as readonly Promise<unknown>[]);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
