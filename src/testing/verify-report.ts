/**
 * Test helper (not used by kpkg itself): reading verify's report in its tests — verify.test.ts
 * (directories and cheap inputs) and verify.slow.test.ts (packages made by dpkg-deb, rpmbuild, tar) —
 * and writing one by hand for the tests of its formats.
 */
import assert from 'node:assert/strict';
import type { CheckId } from '../verify/findings.js';
import { readPackages, verifyPackages, type VerifyReport } from '../verify/verify.js';
import { MINI_RELEASE } from './verify-packages.js';

/** The headers tree of miniHeadersRoot(). */
export const TREE = `/usr/src/linux-headers-${MINI_RELEASE}`;

export async function verifyFiles(inputs: string[], arch?: string): Promise<VerifyReport> {
  return verifyPackages(await readPackages(inputs), arch);
}

export function pathsOf(report: VerifyReport, check: CheckId): string[] {
  return report.findings.filter((f) => f.check === check).map((f) => f.path ?? '');
}

export function statusOf(report: VerifyReport, check: CheckId): string {
  return report.checks.find((c) => c.id === check)?.status ?? '?';
}

/** No findings, a pass, the mini tree found and arm64 as the target. */
export function assertClean(report: VerifyReport, what: string): void {
  assert.deepEqual(report.findings, [], what);
  assert.equal(report.result, 'pass', what);
  assert.equal(report.headersTrees[0]?.root, TREE, what);
  assert.equal(report.headersTrees[0]?.release, MINI_RELEASE, what);
  assert.equal(report.target.arch, 'arm64', what);
  for (const id of ['elf-machine', 'elf-interpreter', 'headers-incomplete', 'build-link'] as const)
    assert.equal(statusOf(report, id), 'pass', `${what}: ${id}`);
}

/** The declared-architecture check, passed. */
export const PACKAGE_ARCH_PASSED: VerifyReport['checks'][number] = {
  id: 'package-arch',
  severity: 'error',
  title: 'declared architecture',
  status: 'pass',
  findings: 0,
  note: null,
};

/** A passing report of out/h.deb with no headers tree found and no target known, but for `fields`. */
export function testVerifyReport(fields: Partial<VerifyReport>): VerifyReport {
  return {
    result: 'pass',
    exitCode: 0,
    target: { arch: null, from: 'none', detail: 'unknown: nothing tells', elf: null, dynamicLoader: null },
    libraryData: null,
    packages: [
      {
        input: 'out/h.deb',
        format: 'deb',
        name: 'headers',
        version: null,
        arch: null,
        members: 1,
        files: 1,
        elfFiles: 0,
      },
    ],
    headersTrees: [],
    checks: [PACKAGE_ARCH_PASSED],
    counts: { error: 0, warning: 0, info: 0 },
    findings: [],
    ...fields,
  };
}
