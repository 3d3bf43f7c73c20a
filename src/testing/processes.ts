import { readdir, readFile } from 'node:fs/promises';
import { parseProcStat } from '../util/proc-stat.js';

/**
 * Test helper: which processes still run. A zombie has ended — who reaps it (here often an init
 * that takes its time) is not the test's concern — so it never counts, though kill(pid, 0) finds it.
 */
async function statOf(pid: string): Promise<{ state: string; pgrp: number } | undefined> {
  return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''));
}

export async function isRunning(pid: number): Promise<boolean> {
  const stat = await statOf(String(pid));
  return stat !== undefined && stat.state !== 'Z';
}

/** The running (not zombie) processes of a process group. */
export async function runningInGroup(pgrp: number): Promise<number[]> {
  const found: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await statOf(name);
    if (stat !== undefined && stat.pgrp === pgrp && stat.state !== 'Z') found.push(Number(name));
  }
  return found;
}
