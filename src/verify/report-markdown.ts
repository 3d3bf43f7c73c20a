/** The verify report as Markdown for a CI step summary: the verdict, the packages, every check, the findings. */
import { mdCode, mdDetails, mdDocument, mdTable, mdText } from '../util/markdown.js';
import type { Finding } from './findings.js';
import type { VerifyReport } from './report-data.js';

const STATUS: Readonly<Record<string, string>> = { pass: '✅ ok', 'n/a': '➖ n/a' };
const FAILED: Readonly<Record<Finding['severity'], string>> = { error: '❌ FAIL', warning: '⚠️ WARN', info: 'ℹ️ NOTE' };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatReportMarkdown(report: VerifyReport): string {
  const { error, warning, info } = report.counts;
  const t = report.target;
  const findingLine = (f: Finding): string => {
    const where = [
      f.path === undefined ? undefined : mdCode(f.path),
      f.package === undefined ? undefined : `(${mdText(f.package)})`,
    ]
      .filter((x) => x !== undefined)
      .join(' ');
    return `- **${f.severity}** ${mdCode(f.check)}${where === '' ? '' : ` ${where}`}: ${mdText(f.message)}`;
  };
  return mdDocument([
    `### kpkg verify: ${report.result === 'pass' ? '✅ PASS' : '❌ FAIL'} — ${plural(error, 'error')}, ${plural(warning, 'warning')}, ${plural(info, 'note')}`,
    t.arch === null
      ? `Target: ${mdText(t.detail)}`
      : `Target: **${mdText(t.arch)}** — ${mdText(t.elf ?? '')}, loader ${mdCode(t.dynamicLoader ?? '')} (from ${mdText(t.detail)})`,
    report.libraryData === null ? undefined : `Library names: ${mdText(report.libraryData)}`,
    mdTable(
      ['package', 'version', 'arch', 'format', 'entries', 'ELF files'],
      report.packages.map((p) => [
        mdCode(p.name),
        mdText(p.version ?? ''),
        mdText(p.arch ?? ''),
        p.format,
        String(p.members),
        String(p.elfFiles),
      ]),
    ),
    report.headersTrees.length === 0
      ? undefined
      : mdTable(
          ['headers tree', 'release', 'configuration', 'GCC plugins for'],
          report.headersTrees.map((h) => [
            mdCode(h.root),
            mdText(h.release ?? 'unknown'),
            h.config === null ? 'none shipped' : mdCode(h.config),
            mdText(h.pluginCompiler ?? '—'),
          ]),
        ),
    mdTable(
      ['check', 'status', 'findings', 'what'],
      report.checks.map((c) => [
        mdCode(c.id),
        c.status === 'fail' ? (FAILED[c.severity] ?? c.severity) : (STATUS[c.status] ?? c.status),
        String(c.findings),
        mdText(c.status === 'n/a' && c.note !== null ? `${c.title} — ${c.note}` : c.title),
      ]),
    ),
    report.findings.length === 0
      ? undefined
      : mdDetails(`Findings (${report.findings.length})`, report.findings.map(findingLine).join('\n')),
  ]);
}
