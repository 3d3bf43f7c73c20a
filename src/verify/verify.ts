/**
 * `kpkg verify`: reads packages (streamed, nothing extracted), takes them as one installed set,
 * picks the target machine and runs every check. Reading problems are KpkgErrors with exit
 * status 2; findings are data, in the report.
 */
import { describeIdentity } from '../elf/identity.js';
import { describeCompiler, parsePluginCompilerRecord, PLUGIN_COMPILER_RECORD } from '../kernel/headers/gcc-plugins.js';
import { ShlibsDatabase } from '../debian/database.js';
import { cachedTargetSysroot } from '../sysroot/target-sysroot.js';
import { kpkgCacheDir } from '../util/cache.js';
import { mapLimit } from '../util/pool.js';
import { checkBuildLinks } from './checks/build-link.js';
import { checkDebs } from './checks/deb.js';
import { checkElfFiles } from './checks/elf.js';
import { checkKernelConfigs } from './checks/kernel-config.js';
import { checkBtf, checkHeadersComplete } from './checks/headers.js';
import { checkPackageArch } from './checks/package-arch.js';
import { checkPrerequisites } from './checks/prerequisites.js';
import { checkSecrets } from './checks/secrets.js';
import { FileSet } from './file-set.js';
import { CHECK_IDS, CHECKS, finding, type CheckId, type CheckResult, type Finding, type Severity } from './findings.js';
import { findHeadersTrees } from './headers-trees.js';
import type { ReadPackage } from './model.js';
import { readInput } from './readers/open.js';
import { shippedConfigs } from './shipped-configs.js';
import { chooseTarget, targetFromOption, type Target } from './target.js';

export interface VerifyOptions {
  /** Files or directories, verified together as one set. */
  inputs: readonly string[];
  /** --arch: Debian, kernel, RPM or GNU name. */
  arch?: string;
}

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
  packages: { input: string; format: string; name: string; version: string | null; arch: string | null; members: number; files: number; elfFiles: number }[];
  headersTrees: {
    root: string;
    release: string | null;
    sourceDir: string | null;
    package: string;
    config: string | null;
    /** The gcc build its GCC plugins load into, as kpkg recorded it (scripts/gcc-plugins/kpkg-target-gcc). */
    pluginCompiler: string | null;
  }[];
  checks: { id: CheckId; severity: Severity; title: string; status: 'pass' | 'fail' | 'n/a'; findings: number; note: string | null }[];
  counts: Record<Severity, number>;
  findings: Finding[];
}

/** Inputs read at once: each xz/zstd child takes a core, so two keep a 2-core machine busy. */
const READ_PARALLELISM = 2;

export async function readPackages(inputs: readonly string[]): Promise<ReadPackage[]> {
  return mapLimit(inputs, READ_PARALLELISM, (input) => readInput(input));
}

/**
 * The shlibs/symbols data of the target's library packages that kpkg already has (its cached
 * sysroot of that architecture; no network): which package provides a soname. Without it, verify
 * goes by Debian's naming conventions.
 */
async function cachedDebianData(debianArch: string | undefined): Promise<ShlibsDatabase | undefined> {
  if (debianArch === undefined) return undefined;
  const sysroot = await cachedTargetSysroot(kpkgCacheDir(), debianArch);
  return sysroot === undefined ? undefined : ShlibsDatabase.fromControlDirs(sysroot.root, { architecture: debianArch });
}

function recordedCompiler(set: FileSet, root: string): string | null {
  const text = set.get(`${root}/${PLUGIN_COMPILER_RECORD}`)?.text;
  const compiler = text === undefined ? undefined : parsePluginCompilerRecord(text);
  return compiler === undefined ? null : describeCompiler(compiler);
}

export function verifyPackages(packages: readonly ReadPackage[], archOption?: string, debianData?: ShlibsDatabase): VerifyReport {
  const set = new FileSet(packages);
  set.assertNoSymlinkLoops();
  const configs = shippedConfigs(packages);
  const target = chooseTarget(archOption, packages, configs);
  const arch = target.arch;
  const trees = findHeadersTrees(set);

  const elf = checkElfFiles(set, arch, trees);
  const headers = checkHeadersComplete(set, trees, arch);
  const btf = checkBtf(set, trees);
  headers.findings.push(...btf.incomplete);
  const links = checkBuildLinks(set, trees);
  const conflicts: CheckResult = {
    id: 'set-conflict',
    applicable: packages.length > 1,
    findings: set.conflicts.map((c) => finding('set-conflict', `shipped by ${c.packages.join(' and ')}: dpkg/rpm refuse to install both`, { path: c.path, package: c.packages.join(', ') })),
    ...(packages.length > 1 ? {} : { note: 'one package' }),
  };
  const results = new Map<CheckId, CheckResult>(
    [checkPackageArch(packages, arch), checkKernelConfigs(configs, target), elf.machine, elf.interpreter, elf.damaged, elf.relocatable, headers, btf.btf, links.link, links.missing, ...checkSecrets(set), ...checkDebs(packages), ...checkPrerequisites(packages, debianData), conflicts].map(
      (r) => [r.id, r],
    ),
  );
  const ordered = CHECK_IDS.map((id) => results.get(id) ?? { id, applicable: false, findings: [] });
  const findings = ordered.flatMap((r) => r.findings);
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  const exitCode = counts.error > 0 ? 1 : 0;
  return {
    result: exitCode === 0 ? 'pass' : 'fail',
    exitCode,
    target: {
      arch: arch?.debian ?? null,
      from: target.from,
      detail: target.detail,
      elf: arch === undefined ? null : describeIdentity(arch.elf),
      dynamicLoader: arch?.dynamicLoader ?? null,
    },
    packages: packages.map((p) => ({
      input: p.input,
      format: p.format,
      name: p.name,
      version: p.version ?? null,
      arch: p.arch ?? null,
      members: p.members.length,
      files: p.members.filter((m) => m.type === 'file').length,
      elfFiles: p.members.filter((m) => m.type === 'file' && m.elf !== undefined).length,
    })),
    headersTrees: trees.map((t) => ({ root: t.root, release: t.release ?? null, sourceDir: t.sourceDir ?? null, package: t.package, config: t.configFile ?? null, pluginCompiler: recordedCompiler(set, t.root) })),
    checks: ordered.map((r) => ({
      id: r.id,
      severity: CHECKS[r.id].severity,
      title: CHECKS[r.id].title,
      status: !r.applicable ? 'n/a' : r.findings.length > 0 ? 'fail' : 'pass',
      findings: r.findings.length,
      note: r.note ?? null,
    })),
    counts,
    findings,
  };
}

/** Reads and verifies; --arch is checked before anything is read. */
export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  if (options.arch !== undefined) targetFromOption(options.arch);
  const packages = await readPackages(options.inputs);
  const arch = chooseTarget(options.arch, packages).arch;
  return verifyPackages(packages, options.arch, await cachedDebianData(arch?.debian));
}
