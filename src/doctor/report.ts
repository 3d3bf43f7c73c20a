import type { CheckResult } from './checks.js';

/** One check as doctor prints it, and as packaging errors quote it. */
export function formatCheck(c: CheckResult): string {
  if (c.blockedBy !== undefined) return `· ${c.what}: ${c.detail}`;
  const head = `${c.ok ? '✔' : '✖'} ${c.what}`;
  if (c.ok) return `${head}: ${c.detail}`;
  const lines = c.detail.split('\n').filter((l) => l.trim() !== '');
  // A compiler's own "error:" lines say what is missing; its caret drawings do not.
  const errors = lines.filter((l) => /error|cannot find|not found/i.test(l));
  const detail = (errors.length > 0 ? errors.slice(0, 2) : lines.slice(-2)).map((l) => `    ${l.trim()}`).join('\n');
  const fix =
    c.fix === undefined
      ? ''
      : `\n    fix (Debian/Ubuntu): ${c.fix.debian}${c.fix.fedora === undefined ? '' : `\n    fix (Fedora): ${c.fix.fedora}`}`;
  return `${head}\n${detail}${fix}`;
}

export function formatReport(results: readonly CheckResult[]): string {
  return results.map(formatCheck).join('\n');
}
