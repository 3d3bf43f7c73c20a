/**
 * The processes kpkg started, directly or not (make and its compilers, xz, dpkg-deb, mmdebstrap,
 * unshare), found through /proc: a child that started its own process group or session is still a
 * descendant, so nothing escapes a stop.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseProcStat } from './proc-stat.js';

/** The parent pid in a /proc/<pid>/stat text; undefined for a zombie (it has ended already). */
function liveParent(stat: string): number | undefined {
  const parsed = parseProcStat(stat);
  return parsed === undefined || parsed.state === 'Z' || parsed.state === 'X' ? undefined : parsed.ppid;
}

/** pid → parent pid of every live process visible in /proc. */
async function parentPids(): Promise<Map<number, number>> {
  const parents = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const parent = liveParent(await readFile(`/proc/${name}/stat`, 'utf8').catch(() => ''));
    if (parent !== undefined) parents.set(Number(name), parent);
  }
  return parents;
}

/** The same, without yielding to other work: nothing can start a process while it looks. */
function parentPidsSync(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat = '';
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      // The process ended while we looked.
    }
    const parent = liveParent(stat);
    if (parent !== undefined) parents.set(Number(name), parent);
  }
  return parents;
}

function descendantsIn(parents: Map<number, number>, pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const [child, parent] of parents) children.set(parent, [...(children.get(parent) ?? []), child]);
  const found: number[] = [];
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Every descendant of `pid` (default: this process), parents before their children. */
export async function descendantPids(pid: number = process.pid): Promise<number[]> {
  return descendantsIn(await parentPids(), pid);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/**
 * Stops every descendant: SIGTERM, then SIGKILL for what is still there after `graceMs` (unshare's
 * parent, for one, ignores SIGTERM while it waits), until none is left.
 */
export async function stopDescendants(graceMs = 2000): Promise<void> {
  const deadline = Date.now() + graceMs;
  for (const pid of await descendantPids()) signal(pid, 'SIGTERM');
  for (;;) {
    const left = await descendantPids();
    if (left.length === 0) return;
    if (Date.now() >= deadline) {
      for (const pid of left) signal(pid, 'SIGKILL');
    }
    await sleep(50);
  }
}

/**
 * SIGKILL for every descendant, at once and synchronously: the second Ctrl-C, and the last step
 * before exiting (whatever the rest of the run started while kpkg cleaned up).
 */
export function killDescendantsNow(): void {
  for (const pid of descendantsIn(parentPidsSync(), process.pid)) signal(pid, 'SIGKILL');
}
