/**
 * Interrupts `kpkg deb` on a real tree at random points and checks what it leaves:
 * - no file with a final package name is ever partial (SIGKILL and SIGINT);
 * - after SIGINT: exit 130, no temporary or scratch directory left (the run's TMPDIR is empty,
 *   no staging directory in --out), no process of the run still alive, and --out holds the old
 *   set or the new one, whole.
 * Old and new sets differ only in --source-date-epoch, so they have the same file names and
 * (kpkg being reproducible) known digests.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { runningInGroup } from './processes.js';

const BIN = fileURLToPath(new URL('../cli/bin.js', import.meta.url));
const OLD_EPOCH = '1600000000';
const NEW_EPOCH = '1700000000';

export type TrialSignal = 'SIGINT' | 'SIGKILL';

export interface Trial {
  signal: TrialSignal;
  delayMs: number;
  exitCode: number | null;
  /** The signal that ended the run without kpkg handling it (null: kpkg exited by itself). */
  exitSignal: NodeJS.Signals | null;
  /** Whether kpkg's signal handlers were in place when the signal was sent (else Node's own start-up was hit). */
  handlersInstalled: boolean;
  /** What --out held afterwards: the whole old set, the whole new set, or something else (a failure). */
  outcome: 'old' | 'new' | 'mixed';
  /** Files with a final name whose bytes are neither the old nor the new package (a failure). */
  partial: string[];
  /** What the run left in its TMPDIR and in --out besides packages (a failure after SIGINT). */
  leftovers: string[];
  /** Processes of the run still alive after it exited (a failure after SIGINT). */
  survivors: number;
}

type Digests = Map<string, string>;

/** What a run writes into --out: the packages and the upload's .buildinfo and .changes. */
function isSetFile(name: string): boolean {
  return /\.(deb|buildinfo|changes)$/.test(name);
}

async function digests(dir: string): Promise<Digests> {
  const result: Digests = new Map();
  for (const name of (await readdir(dir)).sort()) {
    if (isSetFile(name))
      result.set(
        name,
        createHash('sha256')
          .update(await readFile(join(dir, name)))
          .digest('hex'),
      );
  }
  return result;
}

interface Started {
  pid: number;
  exit: Promise<[number | null, NodeJS.Signals | null]>;
}

/** kpkg deb in a process group of its own (to find what it leaves running), with a private TMPDIR. */
function startDeb(buildDir: string, out: string, temp: string, epoch: string): Started {
  // Two packages make a set; leaving out linux-libc-dev (headers_install) keeps each run short.
  const child = spawn(
    process.execPath,
    [BIN, 'deb', '--build-dir', buildDir, '--out', out, '--only', 'image,headers', '--source-date-epoch', epoch],
    {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, CI: 'true', TMPDIR: temp },
    },
  );
  return { pid: child.pid ?? -1, exit: once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]> };
}

/**
 * Whether kpkg's handlers are installed in process `pid`. Node catches SIGINT and SIGTERM from its
 * start (and dies by the signal), but not SIGHUP, which kpkg's handleInterrupts adds: its bit in
 * SigCgt of /proc/PID/status (bit 0) tells whether kpkg's code has run that far.
 */
async function catchesSighup(pid: number): Promise<boolean> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const caught = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status)?.[1];
    return caught !== undefined && (BigInt(`0x${caught}`) & 1n) === 1n;
  } catch {
    return false; // It has already exited.
  }
}

export interface TrialBench {
  /** Wall time of an uninterrupted run. */
  fullMs: number;
  run(signal: TrialSignal, delayMs: number): Promise<Trial>;
  /**
   * Two runs at once on the same tree into the same --out (one writes the old set, one the new):
   * both must succeed and --out must end with one of the two sets, whole, and nothing else.
   */
  concurrent(): Promise<{ exitCodes: (number | null)[]; outcome: Trial['outcome']; leftovers: string[] }>;
  dispose(): Promise<void>;
}

/** Writes the old and the new set once (timing the new one), then runs trials against them. */
export async function trialBench(buildDir: string): Promise<TrialBench> {
  const work = await mkdtemp(join(tmpdir(), 'kpkg-interrupt-'));
  const reference = async (epoch: string): Promise<{ dir: string; ms: number }> => {
    const dir = join(work, `set-${epoch}`);
    const temp = join(work, `tmp-${epoch}`);
    await mkdir(temp, { recursive: true });
    const started = performance.now();
    const [code] = await startDeb(buildDir, dir, temp, epoch).exit;
    if (code !== 0) throw new Error(`kpkg deb --source-date-epoch ${epoch} exited ${String(code)}`);
    return { dir, ms: performance.now() - started };
  };
  const old = await reference(OLD_EPOCH);
  const fresh = await reference(NEW_EPOCH);
  const oldSet = await digests(old.dir);
  const newSet = await digests(fresh.dir);
  if ([...oldSet.keys()].join() !== [...newSet.keys()].join())
    throw new Error('the old and the new set have different file names');
  if ([...oldSet.values()].some((d, i) => d === [...newSet.values()][i]))
    throw new Error('a package does not change with --source-date-epoch: the test cannot tell old from new');
  let count = 0;
  return {
    fullMs: fresh.ms,
    async run(signal, delayMs) {
      const out = join(work, `out-${++count}`);
      const temp = join(work, `tmp-${count}`);
      await cp(old.dir, out, { recursive: true });
      await mkdir(temp);
      const started = startDeb(buildDir, out, temp, NEW_EPOCH);
      await Promise.race([sleep(delayMs), started.exit]);
      const handlersInstalled = await catchesSighup(started.pid);
      try {
        process.kill(started.pid, signal);
      } catch {
        // It finished before the signal.
      }
      const [exitCode, exitSignal] = await started.exit;
      // What a SIGKILLed run leaves running (its make, xz…) is still in its process group.
      const survivors = (await runningInGroup(started.pid)).length;
      if (signal === 'SIGKILL') await sleep(200);
      try {
        process.kill(-started.pid, 'SIGKILL');
      } catch {
        // Nothing left.
      }
      const now = await digests(out);
      const partial = [...now]
        .filter(([name, digest]) => digest !== oldSet.get(name) && digest !== newSet.get(name))
        .map(([name]) => name);
      const same = (set: Digests): boolean =>
        now.size === set.size && [...set].every(([name, digest]) => now.get(name) === digest);
      const leftovers = [
        ...(await readdir(temp)).map((n) => `TMPDIR/${n}`),
        ...(await readdir(out)).filter((n) => !isSetFile(n)).map((n) => `out/${n}`),
      ];
      await rm(out, { recursive: true, force: true });
      await rm(temp, { recursive: true, force: true });
      return {
        signal,
        delayMs: Math.round(delayMs),
        exitCode,
        exitSignal,
        handlersInstalled,
        outcome: same(oldSet) ? 'old' : same(newSet) ? 'new' : 'mixed',
        partial,
        leftovers,
        survivors,
      };
    },
    async concurrent() {
      const out = join(work, 'out-concurrent');
      const temps = [join(work, 'tmp-a'), join(work, 'tmp-b')];
      for (const t of temps) await mkdir(t, { recursive: true });
      const runs = [
        startDeb(buildDir, out, temps[0] ?? '', OLD_EPOCH),
        startDeb(buildDir, out, temps[1] ?? '', NEW_EPOCH),
      ];
      const exitCodes = (await Promise.all(runs.map((r) => r.exit))).map(([code]) => code);
      const now = await digests(out);
      const same = (set: Digests): boolean =>
        now.size === set.size && [...set].every(([name, digest]) => now.get(name) === digest);
      const leftovers = [
        ...(await readdir(out)).filter((n) => !isSetFile(n)),
        ...(await Promise.all(temps.map((t) => readdir(t)))).flat(),
      ];
      await rm(out, { recursive: true, force: true });
      return { exitCodes, outcome: same(oldSet) ? 'old' : same(newSet) ? 'new' : 'mixed', leftovers };
    },
    dispose: () => rm(work, { recursive: true, force: true }),
  };
}

/** What is wrong with a trial's result, in words (empty: it passed). */
export function trialProblems(trial: Trial): string[] {
  const problems: string[] = [];
  if (trial.partial.length > 0) problems.push(`partial files with final names: ${trial.partial.join(', ')}`);
  if (trial.signal === 'SIGINT') {
    // kpkg's handlers go in first thing (src/cli/bin.ts); before that only Node's start-up can be hit.
    const diedUnhandled = trial.exitSignal === 'SIGINT' && !trial.handlersInstalled;
    if (trial.exitCode !== 130 && !(trial.exitCode === 0 && trial.outcome === 'new') && !diedUnhandled)
      problems.push(`exit code ${String(trial.exitCode)}, not 130`);
    if (trial.outcome === 'mixed') problems.push('--out holds neither the old set nor the new one');
    if (trial.leftovers.length > 0) problems.push(`left behind: ${trial.leftovers.join(', ')}`);
    if (trial.survivors > 0) problems.push('processes of the run still alive after it exited');
  }
  return problems;
}
