/** The fields kpkg reads from a /proc/<pid>/stat line (proc(5)). */
export interface ProcStat {
  comm: string;
  state: string;
  ppid: number;
  pgrp: number;
  /** rss, in pages. */
  residentPages: number;
}

/**
 * A /proc/<pid>/stat text as its fields; undefined for an empty or garbled one. The comm field may
 * hold spaces and parentheses, so the fields are read after the last ')'.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  // After ") ": state(3) ppid(4) pgrp(5) … vsize(23) rss(24), numbered as in proc(5).
  const fields = text.slice(close + 2).split(' ', 22);
  const [state, ppid, pgrp] = fields;
  const rss = fields[21];
  if (state === undefined || !/^[A-Za-z]$/.test(state)) return undefined;
  const numbers = [ppid, pgrp, rss];
  if (!numbers.every((n) => n !== undefined && /^\d+$/.test(n))) return undefined;
  return {
    comm: text.slice(open + 1, close),
    state,
    ppid: Number(ppid),
    pgrp: Number(pgrp),
    residentPages: Number(rss),
  };
}
