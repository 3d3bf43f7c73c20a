/**
 * An exclusive lock between the processes of this machine on a file or directory: flock(2), held
 * by a util-linux `flock` child for as long as kpkg needs it. The kernel arbitrates, and releases
 * the lock when that child ends — which it does as soon as its stdin (kpkg's end of a pipe) closes,
 * however kpkg ends, SIGKILL included. So no lock outlives its owner and no process ever removes
 * another's lock: there is no stale-lock takeover to race on.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { readFile, stat } from 'node:fs/promises';
import { parseProcStat } from './proc-stat.js';
import { KpkgError } from './errors.js';

/** flock's exit status when --nonblock finds the lock taken (its default, -E). */
const BUSY = 1;

interface Held {
  child: ChildProcessWithoutNullStreams;
}

/** Starts `flock` on `path`; resolves when it holds the lock, or with undefined when `wait` is false and it is taken. */
function acquire(path: string, wait: boolean, shared = false): Promise<Held | undefined> {
  const args = [
    shared ? '--shared' : '--exclusive',
    ...(wait ? [] : ['--nonblock']),
    path,
    'sh',
    '-c',
    'echo locked && exec cat >/dev/null',
  ];
  const child = spawn('flock', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.once('data', () => resolve({ child }));
    child.once('error', (e) =>
      reject(
        new KpkgError(`cannot lock ${path}: flock: ${e.message}`, { where: path, hint: 'apt-get install util-linux' }),
      ),
    );
    child.once('exit', (code) => {
      if (code === BUSY && !wait) resolve(undefined);
      else
        reject(
          new KpkgError(`cannot lock ${path}: ${stderr.trim() || `flock exited ${String(code)}`}`, {
            where: path,
            hint: 'check that the path exists and is readable',
          }),
        );
    });
  });
}

async function release(held: Held): Promise<void> {
  if (held.child.exitCode !== null || held.child.signalCode !== null) return;
  const exited = once(held.child, 'exit');
  held.child.stdin.end();
  await exited;
}

/** The process holding a flock on `path` (the flock child's parent, i.e. the kpkg run), from /proc/locks. */
export async function lockHolder(path: string): Promise<number | undefined> {
  try {
    const { ino } = await stat(path);
    for (const line of (await readFile('/proc/locks', 'utf8')).split('\n')) {
      const fields = line.trim().split(/\s+/);
      // "1: FLOCK  ADVISORY  WRITE 4711 fd:01:123456 0 EOF"
      if (fields[1] !== 'FLOCK' || fields[5]?.split(':')[2] !== String(ino)) continue;
      const holder = Number(fields[4]);
      const parent = parseProcStat(await readFile(`/proc/${String(holder)}/stat`, 'utf8').catch(() => ''))?.ppid;
      return parent !== undefined && parent > 1 ? parent : holder;
    }
  } catch {
    // No /proc/locks, or the lock went away: the message just names no process.
  }
  return undefined;
}

/**
 * Runs `fn` while holding the lock on `path` (a directory, or a file that flock creates). When
 * another process holds it, `onWait` is called once with its pid (when known) and the run waits.
 */
export async function withLock<T>(
  path: string,
  fn: () => Promise<T>,
  onWait?: (holderPid: number | undefined) => void,
): Promise<T> {
  let held = await acquire(path, false);
  if (held === undefined) {
    onWait?.(await lockHolder(path));
    held = await acquire(path, true);
  }
  if (held === undefined) throw new KpkgError(`cannot lock ${path}`, { where: path });
  try {
    return await fn();
  } finally {
    await release(held);
  }
}

/** A lock held until release() is called (or the process ends). */
export interface HeldLock {
  release: () => Promise<void>;
}

/**
 * Takes a lock on `path` without waiting: shared (many holders, e.g. the runs using a cache) or
 * exclusive (one holder, none shared). Undefined when it is taken in a conflicting mode.
 */
export async function tryLock(path: string, mode: 'shared' | 'exclusive'): Promise<HeldLock | undefined> {
  const held = await acquire(path, false, mode === 'shared');
  return held === undefined ? undefined : { release: () => release(held) };
}

/** Takes a shared lock on `path`, waiting while an exclusive holder has it. */
export async function sharedLock(path: string): Promise<HeldLock> {
  return waitedLock(path, true);
}

/** Takes an exclusive lock on `path`, waiting while anyone else holds it. */
export async function exclusiveLock(path: string): Promise<HeldLock> {
  return waitedLock(path, false);
}

async function waitedLock(path: string, shared: boolean): Promise<HeldLock> {
  const held = await acquire(path, true, shared);
  if (held === undefined) throw new KpkgError(`cannot lock ${path}`, { where: path });
  return { release: () => release(held) };
}
