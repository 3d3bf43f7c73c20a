/**
 * secret-private-key, secret-key-file, randstruct-seed, build-host-path: what a package must not
 * give away. Contents were scanned while the packages streamed (content-scan.ts); here the
 * candidate host paths are judged against the whole set.
 */
import { memberLocation, type CheckOutcome, type VerifyCheck } from '../check.js';
import type { FileSet } from '../../reader/file-set.js';
import { finding, type Finding } from '../findings.js';
import { isHomePath, treePrefixOf } from '../../reader/content-scan.js';

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * The seed of structure layout randomization: scripts/basic/randstruct.seed (5.19+),
 * scripts/gcc-plugins/randomize_layout_seed.h before. External modules need it to lay out
 * structures like the kernel does, so a headers package for such a kernel must ship it — which
 * makes the layout public to anyone who can read the package.
 */
function isRandstructSeed(path: string): boolean {
  return (
    path.endsWith('/scripts/basic/randstruct.seed') || path.endsWith('/scripts/gcc-plugins/randomize_layout_seed.h')
  );
}

/** A path the set installs (a file, a directory, or something below a symlink it ships) is no leak. */
function installedBySet(set: FileSet, path: string): boolean {
  const tree = treePrefixOf(path);
  const candidates = tree === undefined ? [path] : [path, tree];
  return candidates.some((p) => {
    const r = set.resolve(p);
    return r.kind !== 'missing' || r.via.length > 0;
  });
}

type SecretsId = 'secret-private-key' | 'secret-key-file' | 'randstruct-seed' | 'build-host-path';

export function checkSecrets(set: FileSet): Record<SecretsId, CheckOutcome> {
  const keys: Finding[] = [];
  const keyFiles: Finding[] = [];
  const seeds: Finding[] = [];
  const hostPaths: Finding[] = [];
  let texts = 0;
  for (const member of set.all()) {
    if (member.privateKey === true)
      keys.push(finding('secret-private-key', 'contains a PEM private key', memberLocation(member)));
    const base = baseName(member.path);
    if (member.type === 'file' || member.type === 'hardlink') {
      if (base === 'signing_key.pem')
        keyFiles.push(
          finding(
            'secret-key-file',
            'the module signing key (certs/signing_key.pem holds the private key): anyone can sign modules this kernel trusts',
            memberLocation(member),
          ),
        );
      else if (base.endsWith('.priv'))
        keyFiles.push(finding('secret-key-file', 'a private key file (*.priv)', memberLocation(member)));
      if (isRandstructSeed(member.path)) {
        seeds.push(
          finding(
            'randstruct-seed',
            'the randstruct seed is shipped (external modules need it): the structure layout randomization of this kernel is public',
            memberLocation(member),
          ),
        );
      }
    }
    if (member.isText === true) texts++;
    const leaks = (member.hostPaths ?? []).filter((p) => !installedBySet(set, p));
    if (leaks.length > 0) {
      const kinds = leaks.some(isHomePath) ? 'a home directory' : "the build machine's kernel tree";
      hostPaths.push(
        finding(
          'build-host-path',
          `names ${kinds}: ${leaks.slice(0, 3).join(', ')}${leaks.length > 3 ? ` (+${leaks.length - 3} more)` : ''}`,
          { ...memberLocation(member), found: leaks.join(' ') },
        ),
      );
    }
  }
  return {
    'secret-private-key': { applicable: true, findings: keys },
    'secret-key-file': { applicable: true, findings: keyFiles },
    'randstruct-seed': { applicable: true, findings: seeds },
    'build-host-path': { applicable: texts > 0, findings: hostPaths, note: `${texts} text files scanned` },
  };
}

export const secretsCheck: VerifyCheck<SecretsId> = {
  title: 'what a package must not give away: keys, the randstruct seed, build machine paths',
  ids: ['secret-private-key', 'secret-key-file', 'randstruct-seed', 'build-host-path'],
  run: ({ set }) => checkSecrets(set),
};
