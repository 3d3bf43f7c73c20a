/**
 * set-conflict: no path (other than a directory) is shipped by two of the packages verified
 * together; dpkg and rpm refuse to install the second. The set finds them as it is built
 * (file-set.ts).
 */
import { checked, notApplicable, type CheckOutcome, type VerifyCheck } from '../check.js';
import type { FileSet } from '../../reader/file-set.js';
import { finding } from '../findings.js';

export function checkSetConflicts(set: FileSet): CheckOutcome {
  if (set.packages.length <= 1) return notApplicable('one package');
  return checked(
    set.conflicts.map((c) => {
      const owners = c.packages.join(' and ');
      return finding('set-conflict', `shipped by ${owners}: dpkg/rpm refuse to install both`, {
        path: c.path,
        package: c.packages.join(', '),
      });
    }),
  );
}

export const setConflictCheck: VerifyCheck<'set-conflict'> = {
  title: 'paths shipped by two packages of the set',
  ids: ['set-conflict'],
  run: ({ set }) => ({ 'set-conflict': checkSetConflicts(set) }),
};
