/**
 * The human-readable verify report: what was read, the target, then one block per check. Every
 * line is made printable as it is written (util/printable.ts): names and fields from a package
 * cannot break a line, so nothing a package holds can print a line that looks like the result.
 */
import { printableReport } from '../util/printable.js';
import type { Finding, Severity } from './findings.js';
import type { VerifyReport } from './report-data.js';

/** Findings shown per check; --json has all of them. */
export const SHOWN_PER_CHECK = 12;

const STATUS_WORD: Readonly<Record<Severity, string>> = { error: 'FAIL', warning: 'WARN', info: 'NOTE' };

function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}

function findingLine(f: Finding): string {
  const where =
    f.path === undefined ? (f.package ?? '') : f.package === undefined ? f.path : `${f.path} (${f.package})`;
  return where === '' ? f.message : `${where}: ${f.message}`;
}

export function formatReport(report: VerifyReport): string {
  const lines: string[] = [];
  const n = report.packages.length;
  lines.push(n === 1 ? 'kpkg verify: 1 package' : `kpkg verify: ${n} packages, verified together as one installed set`);
  for (const p of report.packages) {
    const version = p.version === null ? '' : ` ${p.version}`;
    const arch = p.arch === null ? '' : ` [${p.arch}]`;
    lines.push(
      `  ${p.name}${version}${arch}: ${p.format}, ${plural(p.members, 'entry', 'entries')}, ${plural(p.elfFiles, 'ELF file')} — ${p.input}`,
    );
  }
  const t = report.target;
  lines.push(
    t.arch === null
      ? `target: ${t.detail}`
      : `target: ${t.arch} — ${t.elf ?? ''}, loader ${t.dynamicLoader ?? ''} (from ${t.detail})`,
  );
  if (report.libraryData !== null) lines.push(`library names: ${report.libraryData}`);
  for (const tree of report.headersTrees) {
    const facts = [
      tree.release ?? 'release unknown',
      tree.sourceDir === null ? undefined : `sources in ${tree.sourceDir}`,
      tree.config === null ? 'no configuration shipped' : `config ${tree.config}`,
      tree.pluginCompiler === null ? undefined : `GCC plugins for ${tree.pluginCompiler} only`,
    ];
    lines.push(`headers tree: ${tree.root} (${facts.filter((x) => x !== undefined).join('; ')})`);
  }
  if (report.headersTrees.length === 0) lines.push('headers tree: none');
  lines.push('');
  const idWidth = Math.max(...report.checks.map((c) => c.id.length));
  for (const check of report.checks) {
    const status = check.status === 'fail' ? STATUS_WORD[check.severity] : check.status === 'pass' ? 'ok' : 'n/a';
    const count = check.findings > 0 ? ` (${check.findings})` : '';
    const note = check.status === 'n/a' && check.note !== null ? ` — ${check.note}` : '';
    lines.push(`${status.padEnd(4)}  ${check.id.padEnd(idWidth)}  ${check.title}${count}${note}`);
    const mine = report.findings.filter((f) => f.check === check.id);
    for (const f of mine.slice(0, SHOWN_PER_CHECK)) lines.push(`        ${findingLine(f)}`);
    if (mine.length > SHOWN_PER_CHECK)
      lines.push(`        … and ${mine.length - SHOWN_PER_CHECK} more (--json lists every finding)`);
  }
  lines.push('');
  const { error, warning, info } = report.counts;
  lines.push(
    `result: ${report.result === 'pass' ? 'PASS' : 'FAIL'} — ${plural(error, 'error')}, ${plural(warning, 'warning')}, ${plural(info, 'note')}`,
  );
  return printableReport(lines);
}
