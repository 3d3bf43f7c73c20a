/**
 * rpm-digests, rpm-digests-missing: an .rpm's header and payload are the bytes its digests were
 * made of. rpm -K says "DIGESTS NOT OK" and rpm -i refuses a package whose header or payload
 * was changed after it was built or signed (a NAME edited in place, a payload swapped); one with
 * no digest of its header or of its payload gets "DIGESTS NOT OK" from rpm -K too (NOTFOUND).
 * The digests are computed as the package streams (src/archive/rpm-digests.ts).
 */
import { checked, counted, notApplicable, type CheckOutcome, type VerifyCheck } from '../check.js';
import { finding, type Finding } from '../findings.js';
import type { ReadPackage } from '../../reader/model.js';

type RpmDigestsId = 'rpm-digests' | 'rpm-digests-missing';

/** What rpm -Kv names the digests that would cover a range. */
const RANGE_DIGESTS = {
  header: 'Header SHA256 digest, Header SHA1 digest and MD5 digest',
  payload: 'Payload SHA256 digest and MD5 digest',
} as const;

function digestFindings(pkg: ReadPackage): { bad: Finding[]; missing: Finding[] } {
  const at = { package: pkg.name };
  const verdicts = pkg.rpm?.digests;
  const bad = (verdicts?.results ?? [])
    .filter((r) => !r.ok)
    .map((r) =>
      finding(
        'rpm-digests',
        r.problem === undefined
          ? `${r.name}: BAD (Expected ${r.expected ?? '?'} != ${r.found ?? '?'}): changed since the digest was made`
          : `${r.name}: BAD (${r.problem})`,
        {
          ...at,
          ...(r.found === undefined ? {} : { found: r.found }),
          ...(r.expected === undefined ? {} : { expected: r.expected }),
        },
      ),
    );
  const missing = (verdicts?.missing ?? []).map((range) =>
    finding(
      'rpm-digests-missing',
      `no digest of the ${range}: ${RANGE_DIGESTS[range]} are NOTFOUND (rpm -K: DIGESTS NOT OK)`,
      at,
    ),
  );
  return { bad, missing };
}

export function checkRpmDigests(packages: readonly ReadPackage[]): Record<RpmDigestsId, CheckOutcome> {
  const rpms = packages.filter((p) => p.rpm !== undefined);
  if (rpms.length === 0) {
    const none = notApplicable('no .rpm among the inputs');
    return { 'rpm-digests': none, 'rpm-digests-missing': none };
  }
  const found = rpms.map(digestFindings);
  const digests = rpms.reduce((n, p) => n + (p.rpm?.digests.results.length ?? 0), 0);
  return {
    'rpm-digests': checked(
      found.flatMap((f) => f.bad),
      counted(digests, 'digest'),
    ),
    'rpm-digests-missing': checked(
      found.flatMap((f) => f.missing),
      counted(rpms.length, 'package'),
    ),
  };
}

export const rpmDigestsCheck: VerifyCheck<RpmDigestsId> = {
  title: "each .rpm's header and payload digests",
  ids: ['rpm-digests', 'rpm-digests-missing'],
  run: ({ packages }) => checkRpmDigests(packages),
};
