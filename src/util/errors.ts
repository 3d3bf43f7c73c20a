/**
 * The one error type kpkg shows to users: what is wrong, where (a file or directory), and what to do.
 * Anything else that escapes to the CLI is a bug and is printed with its stack.
 */
export class KpkgError extends Error {
  /** The file or directory the problem is about, when there is one. */
  readonly where: string | undefined;
  /** What the user should run or install to fix it. */
  readonly hint: string | undefined;
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number;

  constructor(message: string, options: { where?: string; hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KpkgError';
    this.where = options.where;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }

  /** One or two lines: "<message>" and, when known, "  fix: <hint>". */
  format(): string {
    return this.hint === undefined ? this.message : `${this.message}\n  fix: ${this.hint}`;
  }
}

export function isKpkgError(e: unknown): e is KpkgError {
  return e instanceof KpkgError;
}

/**
 * Runs `check` on a value the user gave; a KpkgError it throws becomes a usage error (exit 2) with
 * `hint` when it has none of its own. Validators keep their rules; the caller decides it is usage.
 */
export function asUsageError<T>(check: () => T, hint?: string): T {
  try {
    return check();
  } catch (e) {
    if (!isKpkgError(e) || e.exitCode === 2) throw e;
    const fix = e.hint ?? hint;
    throw new KpkgError(e.message, { ...(fix === undefined ? {} : { hint: fix }), exitCode: 2, cause: e });
  }
}
