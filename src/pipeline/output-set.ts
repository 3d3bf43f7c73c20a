/**
 * A set of packages written into --out all or nothing:
 * - every file is written into a private staging directory inside --out (the same file system,
 *   so moving it is a rename), under its final name;
 * - only when all of them are complete are they moved to their final names, under a lock on --out
 *   (two runs writing into one directory take turns; each set lands whole) and as a critical
 *   section (a signal waits the few milliseconds it takes);
 * - a failure or an interrupt before that removes the staging directory: what --out held before
 *   is untouched. Under SIGKILL a file with a final name is never partial (rename(2) is atomic);
 *   the next run into --out removes the staging directory of a run that is gone.
 */
import { mkdir, mkdtemp, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { removeLeftoversOfDeadRuns } from '../util/dead-runs.js';
import { KpkgError } from '../util/errors.js';
import { withLock } from '../util/file-lock.js';
import { lstatOrUndefined } from '../util/fs.js';
import { critical, onInterrupt } from '../util/interrupt.js';
import { systemError } from '../util/system-error.js';

const STAGING_PREFIX = '.kpkg-staging-';

/**
 * mkdir -p that fails with the real reason: a recursive mkdir reports ENOENT for a directory it could
 * not create on a read-only or unwritable parent, so the first missing one is made on its own.
 * Returns the first directory it created (undefined when `dir` was there).
 */
async function makeDirectory(dir: string): Promise<string | undefined> {
  try {
    return await mkdir(dir, { recursive: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    let missing = dir;
    while ((await lstatOrUndefined(dirname(missing))) === undefined && dirname(missing) !== missing)
      missing = dirname(missing);
    await mkdir(missing);
    throw e;
  }
}

/**
 * Removes the directories from `dir` up to `top` that a run created, when they are empty: a run
 * that failed leaves no new --out behind. One that holds anything (another run's set) stays.
 */
async function removeCreated(dir: string, top: string): Promise<void> {
  for (let d = dir; ; d = dirname(d)) {
    try {
      await rmdir(d);
    } catch {
      return;
    }
    if (d === top || dirname(d) === d) return;
  }
}

export class OutputSet {
  private readonly names: string[] = [];
  private committed = false;

  private constructor(
    /** The output directory (absolute). */
    readonly out: string,
    private readonly staging: string,
    /** The first directory of --out's path this run created; undefined when --out was there. */
    private readonly created: string | undefined,
    private readonly forget: () => void,
  ) {}

  /** Creates --out when missing and a staging directory inside it. */
  static async open(out: string): Promise<OutputSet> {
    const dir = resolve(out);
    let created: string | undefined;
    try {
      created = await makeDirectory(dir);
      await removeLeftoversOfDeadRuns(dir, STAGING_PREFIX);
      const staging = await mkdtemp(join(dir, `${STAGING_PREFIX}${process.pid}-`));
      const forget = onInterrupt(async () => {
        await rm(staging, { recursive: true, force: true });
        if (created !== undefined) await removeCreated(dir, created);
      });
      return new OutputSet(dir, staging, created, forget);
    } catch (e) {
      if (created !== undefined) await removeCreated(dir, created);
      throw systemError(e, { doing: 'write packages into', path: dir, hint: 'choose a writable --out directory' }) ?? e;
    }
  }

  /** Where to write the file that will be `<out>/<name>`. */
  stagingPath(name: string): string {
    this.names.push(name);
    return join(this.staging, name);
  }

  /** The final path of `name`. */
  finalPath(name: string): string {
    return join(this.out, name);
  }

  /** Moves every staged file to its final name; returns the final paths. */
  async commit(onWait?: (holderPid: number | undefined) => void): Promise<string[]> {
    const names = [...this.names];
    await withLock(
      this.out,
      () =>
        critical(async () => {
          // A directory in the way would stop the renames halfway: refuse before the first.
          for (const name of names) {
            if ((await lstatOrUndefined(this.finalPath(name)))?.isDirectory() === true) {
              throw new KpkgError(`cannot write ${this.finalPath(name)}: a directory of that name is in the way`, {
                where: this.finalPath(name),
                hint: 'remove or rename that directory, or choose another --out',
              });
            }
          }
          for (const name of names) await rename(join(this.staging, name), this.finalPath(name));
        }),
      onWait,
    );
    this.committed = true;
    await this.discard();
    return names.map((name) => this.finalPath(name));
  }

  /**
   * Removes the staging directory and whatever is still in it; before a commit, also the --out
   * directories this run created, when they are empty.
   */
  async discard(): Promise<void> {
    this.forget();
    await rm(this.staging, { recursive: true, force: true });
    if (!this.committed && this.created !== undefined) await removeCreated(this.out, this.created);
  }
}
