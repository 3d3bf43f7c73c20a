/**
 * Test helper (not used by kpkg itself): reading verify's report in its tests — verify.test.ts
 * (directories and cheap inputs) and verify.slow.test.ts (packages made by dpkg-deb, rpmbuild, tar).
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
