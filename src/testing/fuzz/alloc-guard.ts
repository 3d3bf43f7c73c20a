/**
 * Watches the allocations a fuzz exec makes (inside the fuzz worker only): Buffer.alloc,
 * allocUnsafe, allocUnsafeSlow (and so Buffer.concat), `new Uint8Array(n)` and
 * `new ArrayBuffer(n)`. A request above the exec's budget is refused with AllocationTooLarge and
 * remembered, so a reader that sizes a buffer from a declared length is a finding even when it
 * catches the error.
 */
export class AllocationTooLarge extends Error {
  constructor(
    readonly requested: number,
    readonly budget: number,
  ) {
    super(`allocation of ${requested} bytes, over the exec's budget of ${budget} bytes`);
    this.name = 'AllocationTooLarge';
  }
}

export class AllocationGuard {
  #budget = Number.POSITIVE_INFINITY;
  #largest = 0;
  #refused: AllocationTooLarge | undefined;

  /** Starts watching one exec: requests over `budget` bytes are refused. */
  begin(budget: number): void {
    this.#budget = budget;
    this.#largest = 0;
    this.#refused = undefined;
  }

  /** Stops watching; returns the largest request and the first refusal, if any. */
  end(): { largest: number; refused: AllocationTooLarge | undefined } {
    this.#budget = Number.POSITIVE_INFINITY;
    return { largest: this.#largest, refused: this.#refused };
  }

  note(size: unknown): void {
    if (typeof size !== 'number' || !Number.isFinite(size)) return;
    if (size > this.#largest) this.#largest = size;
    if (size > this.#budget) {
      const refusal = new AllocationTooLarge(size, this.#budget);
      this.#refused ??= refusal;
      throw refusal;
    }
  }

  /** Wraps the allocators; call once per worker, before the readers run. */
  install(): void {
    const note = (size: unknown): void => this.note(size);
    const wrapCall = <F extends (...args: never[]) => unknown>(fn: F): F =>
      new Proxy(fn, {
        apply(target, thisArg: unknown, args: unknown[]) {
          note(args[0]);
          return Reflect.apply(target, thisArg, args) as unknown;
        },
      });
    Buffer.alloc = wrapCall(Buffer.alloc.bind(Buffer));
    Buffer.allocUnsafe = wrapCall(Buffer.allocUnsafe.bind(Buffer));
    Buffer.allocUnsafeSlow = wrapCall(Buffer.allocUnsafeSlow.bind(Buffer));
    const wrapConstructor = (name: 'Uint8Array' | 'ArrayBuffer'): void => {
      const original = globalThis[name];
      const wrapped = new Proxy(original, {
        construct(target, args: unknown[], newTarget: (...a: never[]) => unknown) {
          note(args[0]);
          return Reflect.construct(target, args, newTarget) as object;
        },
      });
      Object.defineProperty(globalThis, name, { value: wrapped, writable: true, configurable: true });
    };
    wrapConstructor('Uint8Array');
    wrapConstructor('ArrayBuffer');
  }
}
