/**
 * build-link / build-link-missing: `make -C /lib/modules/$(uname -r)/build M=$PWD` is how DKMS and
 * every vendor driver find the headers, so the build link must lead to the headers tree: inside
 * the verified packages, or — when the headers come in another package — to where headers
 * packages install it. A link to anywhere else (typically the build machine's object tree, as
 * `make modules_install` leaves it) is broken on the target.
 */
import { counted, type CheckOutcome, type VerifyCheck } from '../check.js';
import type { FileSet } from '../file-set.js';
import { finding, type Finding } from '../findings.js';
import { MODULES_LINK, type HeadersTree } from '../headers-trees.js';
import { isWithin } from '../member-path.js';

/** Where headers packages put the tree for a release: Debian/kpkg, Fedora/SUSE (kernel-devel), Arch (the build directory itself). */
export function headersInstallPaths(release: string): string[] {
  return [`/usr/src/linux-headers-${release}`, `/usr/src/kernels/${release}`, `/usr/lib/modules/${release}/build`, `/lib/modules/${release}/build`];
}

type BuildLinkId = 'build-link' | 'build-link-missing';

export function checkBuildLinks(set: FileSet, trees: readonly HeadersTree[]): Record<BuildLinkId, CheckOutcome> {
  const findings: Finding[] = [];
  const linked = new Set<string>();
  let links = 0;
  for (const member of set.all()) {
    const match = MODULES_LINK.exec(member.path);
    if (match?.[2] !== 'build' || match[1] === undefined) continue;
    const release = match[1];
    links++;
    const where = { path: member.path, package: member.pkg.name };
    if (member.type === 'dir') {
      // Arch Linux ships the tree itself there.
      const tree = trees.find((t) => t.root === member.path);
      if (tree !== undefined) linked.add(tree.root);
      continue;
    }
    if (member.type !== 'symlink' || member.link === undefined) {
      findings.push(finding('build-link', `is a ${member.type}, not a symlink to the headers tree or the tree itself`, where));
      continue;
    }
    const resolved = set.resolve(member.path);
    const detail = { ...where, found: member.link };
    if (resolved.kind === 'dir') {
      const tree = trees.find((t) => t.root === resolved.path);
      if (tree === undefined) {
        findings.push(finding('build-link', `points to ${resolved.path}, a directory with no headers tree in it (no include/config/auto.conf, kernel.release or Module.symvers)`, detail));
        continue;
      }
      linked.add(tree.root);
      if (tree.releases.length > 0 && !tree.releases.includes(release)) {
        findings.push(finding('build-link', `points to the headers of ${tree.release} (${tree.root}), but is the build link of ${release}`, { ...detail, expected: release }));
      }
      continue;
    }
    if (resolved.kind !== 'missing') {
      findings.push(finding('build-link', `points to ${resolved.path}, which is a ${resolved.kind}, not a directory`, detail));
      continue;
    }
    const conventional = headersInstallPaths(release).filter((p) => p !== member.path);
    const forRelease = trees.filter((t) => t.releases.length === 0 || t.releases.includes(release));
    if (forRelease.length > 0) {
      findings.push(
        finding('build-link', `points to ${resolved.path}, which none of the verified packages installs; the headers tree of this set is ${forRelease.map((t) => t.root).join(', ')}`, {
          ...detail,
          expected: forRelease[0]?.root ?? '',
        }),
      );
    } else if (!conventional.some((p) => isWithin(resolved.path, p))) {
      findings.push(
        finding('build-link', `points to ${resolved.path}: not in the verified packages and not where a headers package installs (${conventional[0] ?? ''}); probably the build machine's tree`, {
          ...detail,
          expected: conventional[0] ?? '',
        }),
      );
    }
  }
  const missing: Finding[] = [];
  for (const tree of trees) {
    if (linked.has(tree.root)) continue;
    const release = tree.release ?? '<release>';
    missing.push(
      finding('build-link-missing', `no /lib/modules/${release}/build link in the verified packages leads to ${tree.root}: \`make -C /lib/modules/$(uname -r)/build\` finds it only if another package ships the link`, {
        path: tree.root,
        package: tree.package,
      }),
    );
  }
  return {
    'build-link': { applicable: links > 0, findings, note: links > 0 ? counted(links, 'build link') : 'no /lib/modules/<release>/build in these packages' },
    'build-link-missing': { applicable: trees.length > 0, findings: missing, note: trees.length > 0 ? undefined : 'no headers tree' },
  };
}

export const buildLinkCheck: VerifyCheck<BuildLinkId> = {
  title: 'the /lib/modules/<release>/build links against the headers trees',
  ids: ['build-link', 'build-link-missing'],
  run: ({ set, trees }) => checkBuildLinks(set, trees),
};
