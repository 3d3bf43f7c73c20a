/**
 * The verify report as data — what `kpkg verify --json` prints, and what report.ts and
 * report-markdown.ts format: the target, the packages, the headers trees, every check's status in
 * findings.ts's order, and the findings.
 */
import { describeIdentity } from '../elf/identity.js';
import { describeCompiler, parsePluginCompilerRecord, PLUGIN_COMPILER_RECORD } from '../kernel/headers/gcc-plugins.js';
import type { VerifyContext } from './check.js';
import type { FileSet } from '../reader/file-set.js';
import { CHECKS, type CheckId, type CheckResult, type Finding, type Severity } from './findings.js';
import type { HeadersTree } from '../reader/headers-trees.js';
import type { ReadPackage } from '../reader/model.js';
import type { Target } from '../reader/target.js';

export interface VerifyReport {
  result: 'pass' | 'fail';
  /** 0 nothing at error level, 1 errors (2, unreadable input, is an exception, not a report). */
  exitCode: 0 | 1;
  target: {
    arch: string | null;
    from: Target['from'];
    detail: string;
    elf: string | null;
    dynamicLoader: string | null;
  };
  /** What the prerequisites check names library packages by: a release's package data or Debian's conventions, and why. */
  libraryData: string | null;
  packages: {
    input: string;
    format: string;
    name: string;
    version: string | null;
    arch: string | null;
    members: number;
    files: number;
    elfFiles: number;
  }[];
  headersTrees: {
    root: string;
    release: string | null;
    sourceDir: string | null;
    package: string;
    config: string | null;
    /** The gcc build its GCC plugins load into, as kpkg recorded it (scripts/gcc-plugins/kpkg-target-gcc). */
    pluginCompiler: string | null;
  }[];
  checks: {
    id: CheckId;
    severity: Severity;
    title: string;
    status: 'pass' | 'fail' | 'n/a';
    findings: number;
    note: string | null;
  }[];
  counts: Record<Severity, number>;
  findings: Finding[];
}

function recordedCompiler(set: FileSet, root: string): string | null {
  const text = set.get(`${root}/${PLUGIN_COMPILER_RECORD}`)?.text;
  const compiler = text === undefined ? undefined : parsePluginCompilerRecord(text);
  return compiler === undefined ? null : describeCompiler(compiler);
}

function targetSummary(target: Target): VerifyReport['target'] {
  const arch = target.arch;
  return {
    arch: arch?.debian ?? null,
    from: target.from,
    detail: target.detail,
    elf: arch === undefined ? null : describeIdentity(arch.elf),
    dynamicLoader: arch?.dynamicLoader ?? null,
  };
}

function packageSummary(p: ReadPackage): VerifyReport['packages'][number] {
  return {
    input: p.input,
    format: p.format,
    name: p.name,
    version: p.version ?? null,
    arch: p.arch ?? null,
    members: p.members.length,
    files: p.members.filter((m) => m.type === 'file').length,
    elfFiles: p.members.filter((m) => m.type === 'file' && m.elf !== undefined).length,
  };
}

function treeSummary(set: FileSet, t: HeadersTree): VerifyReport['headersTrees'][number] {
  return {
    root: t.root,
    release: t.release ?? null,
    sourceDir: t.sourceDir ?? null,
    package: t.package,
    config: t.configFile ?? null,
    pluginCompiler: recordedCompiler(set, t.root),
  };
}

function checkSummary(r: CheckResult): VerifyReport['checks'][number] {
  return {
    id: r.id,
    severity: CHECKS[r.id].severity,
    title: CHECKS[r.id].title,
    status: !r.applicable ? 'n/a' : r.findings.length > 0 ? 'fail' : 'pass',
    findings: r.findings.length,
    note: r.note ?? null,
  };
}

/** The report of checks run on a context. */
export function reportOf(context: VerifyContext, results: readonly CheckResult[]): VerifyReport {
  const findings = results.flatMap((r) => r.findings);
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  const exitCode = counts.error > 0 ? 1 : 0;
  return {
    result: exitCode === 0 ? 'pass' : 'fail',
    exitCode,
    target: targetSummary(context.target),
    libraryData: context.libraryBasis ?? null,
    packages: context.packages.map(packageSummary),
    headersTrees: context.trees.map((t) => treeSummary(context.set, t)),
    checks: results.map(checkSummary),
    counts,
    findings,
  };
}
