/**
 * kpkg's build cache: what a run produced that the next run on the same inputs would produce
 * again — rebuilt host programs, the outputs of the kernel's make install steps, compressed
 * package members — under <cache>/build/<kind>/<key>/, the key computed from the inputs
 * (fingerprint.ts, or the exact bytes for members). An entry is immutable once it exists.
 *
 * Safety under concurrent runs:
 *  - an entry is filled in <cache>/build/tmp/<pid>-… and renamed into place whole; when two runs
 *    make the same entry, the first rename wins and the other run uses that one (same inputs, same
 *    bytes); a killed run's half-filled directory is removed by a later run;
 *  - every run holds a shared flock on <cache>/build/.lock while it uses entries; trimming the cache
 *    to its size cap needs that lock exclusively, so it never removes an entry a run is reading (a
 *    run that finds others still running skips the trimming; a later run does it).
 *
 * Disabled (--no-cache): nothing is looked up and nothing is kept; entries are filled in the run's
 * temporary directory and removed when the run closes the cache.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeLeftoversOfDeadRuns } from '../util/dead-runs.js';
import { FileStates } from '../util/file-state.js';
import { inputsKey, type StepInputs } from './fingerprint.js';
import { sharedLock, tryLock, type HeldLock } from '../util/file-lock.js';
import { onInterrupt } from '../util/interrupt.js';
import { pathlessIn } from '../util/system-error.js';

/** Raised when a cache layout changes incompatibly: older entries are then never matched. */
const LAYOUT_VERSION = '1';

/** Default size cap of the build cache: 4 GiB, or KPKG_BUILD_CACHE_MAX_MB. */
export function defaultCacheMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.KPKG_BUILD_CACHE_MAX_MB);
  return Number.isFinite(mb) &&
    mb >= 0 &&
    env.KPKG_BUILD_CACHE_MAX_MB !== '' &&
    env.KPKG_BUILD_CACHE_MAX_MB !== undefined
    ? mb * 1024 * 1024
    : 4 * 1024 ** 3;
}

export interface CacheEntry<Meta> {
  /** The entry's directory: its files stay there, unchanged, while the run has the cache open. */
  dir: string;
  meta: Meta;
  /** True when the entry came from the cache, false when this run made it. */
  hit: boolean;
}

export interface BuildCacheOptions {
  /** kpkg's cache directory; the build cache is its `build/` subdirectory. */
  cacheDir: string;
  enabled: boolean;
  maxBytes?: number;
}

interface StoredMeta<Meta> {
  bytes: number;
  meta: Meta;
}

async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir, { recursive: true })) {
    const st = await stat(join(dir, name)).catch(() => undefined);
    if (st?.isFile() === true) total += st.size;
  }
  return total;
}

export class BuildCache {
  readonly #root: string;
  readonly #enabled: boolean;
  readonly #maxBytes: number;
  readonly #lock: HeldLock | undefined;
  /** Entries a disabled cache filled, removed by close(). */
  readonly #scratch: string[] = [];
  readonly #inFlight = new Map<string, Promise<CacheEntry<unknown>>>();
  /** The run's file states, shared by every key it computes. */
  readonly states = new FileStates();

  private constructor(root: string, enabled: boolean, maxBytes: number, lock: HeldLock | undefined) {
    this.#root = root;
    this.#enabled = enabled;
    this.#maxBytes = maxBytes;
    this.#lock = lock;
  }

  static async open(options: BuildCacheOptions): Promise<BuildCache> {
    const root = join(options.cacheDir, 'build', `v${LAYOUT_VERSION}`);
    const maxBytes = options.maxBytes ?? defaultCacheMaxBytes();
    if (!options.enabled) return new BuildCache(root, false, maxBytes, undefined);
    await mkdir(join(root, 'tmp'), { recursive: true });
    await writeFile(join(root, '.lock'), '', { flag: 'a' });
    const lock = await sharedLock(join(root, '.lock'));
    await removeLeftoversOfDeadRuns(join(root, 'tmp'), '');
    return new BuildCache(root, true, maxBytes, lock);
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** The key of a step's inputs (fingerprint.ts), with this run's shared file states. */
  key(inputs: StepInputs): Promise<string> {
    return inputsKey(inputs, this.states);
  }

  /** The entry of `kind` for `key`, made by `fill` (which writes its files into the directory it is given) when there is none. */
  entry<Meta>(kind: string, key: string, fill: (dir: string) => Promise<Meta>): Promise<CacheEntry<Meta>> {
    const id = `${kind}/${key}`;
    let pending = this.#inFlight.get(id) as Promise<CacheEntry<Meta>> | undefined;
    if (pending === undefined) {
      pending = this.#lookupOrFill(kind, key, fill);
      this.#inFlight.set(id, pending);
    }
    return pending;
  }

  /** The entry of `kind` for `key` when the cache has it. */
  async lookup<Meta>(kind: string, key: string): Promise<CacheEntry<Meta> | undefined> {
    if (!this.#enabled) return undefined;
    const dir = join(this.#root, kind, key);
    try {
      const stored = JSON.parse(await readFile(join(dir, '.meta.json'), 'utf8')) as StoredMeta<Meta>;
      const now = new Date();
      await utimes(dir, now, now).catch(() => undefined); // most recently used: trimmed last
      return { dir: join(dir, 'files'), meta: stored.meta, hit: true };
    } catch {
      return undefined;
    }
  }

  async #lookupOrFill<Meta>(
    kind: string,
    key: string,
    fill: (dir: string) => Promise<Meta>,
  ): Promise<CacheEntry<Meta>> {
    const found = await this.lookup<Meta>(kind, key);
    if (found !== undefined) return found;
    const base = this.#enabled ? join(this.#root, 'tmp') : tmpdir();
    const work = join(base, `${process.pid}-${randomBytes(6).toString('hex')}`);
    const forget = onInterrupt(() => rm(work, { recursive: true, force: true }));
    try {
      await mkdir(join(work, 'files'), { recursive: true });
      const meta = await fill(join(work, 'files'));
      if (!this.#enabled) {
        this.#scratch.push(work);
        return { dir: join(work, 'files'), meta, hit: false };
      }
      // The size counted against the cap includes the metadata: entries of metadata only count too.
      const stored: StoredMeta<Meta> = {
        bytes: (await treeBytes(join(work, 'files'))) + (JSON.stringify(meta) ?? '').length,
        meta,
      };
      await writeFile(join(work, '.meta.json'), JSON.stringify(stored));
      // The size alone, for trimming: a member's metadata (every file's digest) is large to parse.
      await writeFile(join(work, '.bytes'), String(stored.bytes));
      const dir = join(this.#root, kind, key);
      await mkdir(join(this.#root, kind), { recursive: true });
      try {
        await rename(work, dir);
      } catch (e) {
        // Another run made the same entry first: same inputs, same files; use that one.
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
        await rm(work, { recursive: true, force: true });
      }
      return { dir: join(dir, 'files'), meta, hit: false };
    } catch (e) {
      await rm(work, { recursive: true, force: true });
      throw pathlessIn(e, work);
    } finally {
      forget();
    }
  }

  /**
   * Ends the run's use of the cache: a disabled cache removes what it filled; an enabled one
   * trims itself to its size cap (least recently used first) when no other run is using it.
   */
  async close(): Promise<void> {
    for (const dir of this.#scratch.splice(0)) await rm(dir, { recursive: true, force: true });
    if (this.#lock === undefined) return;
    await this.#lock.release();
    const exclusive = await tryLock(join(this.#root, '.lock'), 'exclusive');
    if (exclusive === undefined) return;
    try {
      await this.#trim();
    } finally {
      await exclusive.release();
    }
  }

  async #trim(): Promise<void> {
    const entries: { dir: string; bytes: number; used: number }[] = [];
    for (const kind of await readdir(this.#root, { withFileTypes: true })) {
      if (!kind.isDirectory() || kind.name === 'tmp') continue;
      for (const key of await readdir(join(this.#root, kind.name))) {
        const dir = join(this.#root, kind.name, key);
        const [size, st] = await Promise.all([
          readFile(join(dir, '.bytes'), 'utf8').catch(() => undefined),
          stat(dir).catch(() => undefined),
        ]);
        // An entry made before .bytes existed: its size from the metadata, noted for the next trim.
        const bytes =
          size !== undefined
            ? Number(size) || 0
            : await readFile(join(dir, '.meta.json'), 'utf8').then(
                async (m) => {
                  const b = (JSON.parse(m) as StoredMeta<unknown>).bytes;
                  await writeFile(join(dir, '.bytes'), String(b)).catch(() => undefined);
                  return b;
                },
                () => 0,
              );
        entries.push({ dir, bytes, used: st?.mtimeMs ?? 0 });
      }
    }
    let total = entries.reduce((sum, e) => sum + e.bytes, 0);
    entries.sort((a, b) => a.used - b.used);
    for (const e of entries) {
      if (total <= this.#maxBytes) break;
      await rm(e.dir, { recursive: true, force: true });
      total -= e.bytes;
    }
  }
}

/** Runs `fn` with kpkg's build cache open (disabled: entries for this run only), closing it after. */
export async function withBuildCache<T>(options: BuildCacheOptions, fn: (cache: BuildCache) => Promise<T>): Promise<T> {
  const cache = await BuildCache.open(options);
  try {
    return await fn(cache);
  } finally {
    await cache.close();
  }
}
