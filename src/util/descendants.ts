/**
 * The processes kpkg started, directly or not (make and its compilers, xz, dpkg-deb, mmdebstrap,
 * unshare), found through /proc: a child that started its own process group or session is still a
 * descendant, so nothing escapes a stop.
 */
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** pid → parent pid of every live process visible in /proc (a zombie has ended already). */
async function parentPids(): Promise<Map<number, number>> {
  const parents = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z' && state !== 'X' && ppid !== undefined && /^\d+$/.test(ppid)) parents.set(Number(name), Number(ppid));
    } catch {
      // The process ended while we looked.
    }
  }
  return parents;
}

/** Every descendant of `pid` (default: this process), parents before their children. */
export async function descendantPids(pid: number = process.pid): Promise<number[]> {
  const children = new Map<number, number[]>();
  for (const [child, parent] of await parentPids()) children.set(parent, [...(children.get(parent) ?? []), child]);
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

/** SIGKILL for every descendant, at once (the second Ctrl-C). */
export function killDescendantsNow(): Promise<void> {
  return descendantPids().then((pids) => {
    for (const pid of pids) signal(pid, 'SIGKILL');
  });
}
