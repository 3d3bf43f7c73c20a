/**
 * What the headers tree refuses to carry:
 * - a file name with a newline or another control character: dpkg's md5sums and rpm's file lists are
 *   line-based, and make cannot name such a file. Spaces and any Unicode are fine.
 * - a symbolic link that points outside the tree (absolute, or climbing above it): on the target it
 *   would point into that machine's file system, never at what the build used. kpkg never follows a
 *   link (src/kernel/headers/walk.ts keeps the link text), so nothing outside the tree is read.
 */
import { posix } from 'node:path';
import { KpkgError } from '../../util/errors.js';
import type { FoundEntry } from './walk.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function outsideTree(entry: FoundEntry): boolean {
  const target = entry.linkTarget ?? '';
  if (target.startsWith('/')) return true;
  const resolved = posix.normalize(posix.join(posix.dirname(entry.path), target));
  return resolved === '..' || resolved.startsWith('../');
}

/** Throws for the first entry the headers tree must not carry; `rootOf` names the tree an entry came from. */
export function assertShippableEntries<Entry extends FoundEntry>(
  entries: readonly Entry[],
  rootOf: (entry: Entry) => string,
): void {
  for (const entry of entries) {
    const where = posix.join(rootOf(entry), entry.path);
    if (CONTROL.test(entry.path)) {
      throw new KpkgError(
        `${JSON.stringify(where)}: a file name with a control character (newline, tab…) cannot be packaged`,
        {
          where,
          hint: 'rename or remove the file; package file lists are line-based',
        },
      );
    }
    if (entry.kind === 'symlink' && outsideTree(entry)) {
      throw new KpkgError(
        `${where} is a symbolic link to ${entry.linkTarget ?? ''}, outside the kernel tree: kpkg does not follow or ship it`,
        {
          where,
          hint: 'remove the link, or replace it with the file it points to (cp --remove-destination "$(readlink -f LINK)" LINK)',
        },
      );
    }
  }
}
