/**
 * build-link / build-link-missing: `make -C /lib/modules/$(uname -r)/build M=$PWD` is how DKMS and
 * every vendor driver find the headers, so the build link must lead to the headers tree: inside
 * the verified packages, or — when the headers come in another package — to where headers
 * packages install it. A link to anywhere else (typically the build machine's object tree, as
 * `make modules_install` leaves it) is broken on the target.
 */
import { counted, memberLocation, type CheckOutcome, type VerifyCheck } from '../check.js';
import type { FileSet, SetMember } from '../../reader/file-set.js';
import { finding, type Finding } from '../findings.js';
import { MODULES_LINK, type HeadersTree } from '../../reader/headers-trees.js';
import { isWithin } from '../../reader/member-path.js';

/** Where headers packages put the tree for a release: Debian/kpkg, Fedora/SUSE (kernel-devel), Arch (the build directory itself). */
export function headersInstallPaths(release: string): string[] {
  return [
    `/usr/src/linux-headers-${release}`,
    `/usr/src/kernels/${release}`,
    `/usr/lib/modules/${release}/build`,
    `/lib/modules/${release}/build`,
  ];
}

type BuildLinkId = 'build-link' | 'build-link-missing';

/** A /lib/modules/<release>/build member. */
interface BuildLink {
  member: SetMember;
  release: string;
}

function buildLinks(set: FileSet): BuildLink[] {
  const links: BuildLink[] = [];
  for (const member of set.all()) {
    const match = MODULES_LINK.exec(member.path);
    if (match?.[2] === 'build' && match[1] !== undefined) links.push({ member, release: match[1] });
  }
  return links;
}

/** The headers trees looked up by root and by release, indexed once for all the links. */
interface Trees {
  byRoot: ReadonlyMap<string, HeadersTree>;
  /** The trees a build link of a release may lead to (those of no known release too), in the trees' order. */
  forRelease(release: string): HeadersTree[];
}

function indexTrees(trees: readonly HeadersTree[]): Trees {
  const byRoot = new Map(trees.map((t) => [t.root, t]));
  const byRelease = new Map<string, number[]>();
  const unreleased: number[] = [];
  trees.forEach((tree, index) => {
    if (tree.releases.length === 0) unreleased.push(index);
    for (const release of new Set(tree.releases)) {
      const list = byRelease.get(release);
      if (list === undefined) byRelease.set(release, [index]);
      else list.push(index);
    }
  });
  const forRelease = (release: string): HeadersTree[] =>
    [...unreleased, ...(byRelease.get(release) ?? [])]
      .sort((a, b) => a - b)
      .map((index) => trees[index])
      .filter((tree) => tree !== undefined);
  return { byRoot, forRelease };
}

/** A link leading out of the set: wrong when the set has the tree, or when no headers package installs there. */
function outsideTheSet(link: BuildLink, target: string, trees: Trees): Finding | undefined {
  const detail = { ...memberLocation(link.member), found: link.member.link };
  const forRelease = trees.forRelease(link.release);
  if (forRelease.length > 0) {
    const roots = forRelease.map((t) => t.root).join(', ');
    return finding(
      'build-link',
      `points to ${target}, which none of the verified packages installs; the headers tree of this set is ${roots}`,
      {
        ...detail,
        expected: forRelease[0]?.root ?? '',
      },
    );
  }
  const conventional = headersInstallPaths(link.release).filter((p) => p !== link.member.path);
  if (conventional.some((p) => isWithin(target, p))) return undefined;
  const where = conventional[0] ?? '';
  return finding(
    'build-link',
    `points to ${target}: not in the verified packages and not where a headers package installs (${where}); probably the build machine's tree`,
    {
      ...detail,
      expected: where,
    },
  );
}

/** The headers tree a build link leads to, and what is wrong with it. */
function judgeLink(
  set: FileSet,
  trees: Trees,
  link: BuildLink,
): { tree?: HeadersTree | undefined; problem?: Finding | undefined } {
  const { member, release } = link;
  if (member.type === 'dir') {
    // Arch Linux ships the tree itself there.
    return { tree: trees.byRoot.get(member.path) };
  }
  if (member.type !== 'symlink' || member.link === undefined) {
    return {
      problem: finding(
        'build-link',
        `is a ${member.type}, not a symlink to the headers tree or the tree itself`,
        memberLocation(member),
      ),
    };
  }
  const resolved = set.resolve(member.path);
  const detail = { ...memberLocation(member), found: member.link };
  if (resolved.kind === 'missing') return { problem: outsideTheSet(link, resolved.path, trees) };
  if (resolved.kind !== 'dir')
    return {
      problem: finding(
        'build-link',
        `points to ${resolved.path}, which is a ${resolved.kind}, not a directory`,
        detail,
      ),
    };
  const tree = trees.byRoot.get(resolved.path);
  if (tree === undefined) {
    const why =
      'a directory with no headers tree in it (no include/config/auto.conf, kernel.release or Module.symvers)';
    return { problem: finding('build-link', `points to ${resolved.path}, ${why}`, detail) };
  }
  if (tree.releases.length === 0 || tree.releases.includes(release)) return { tree };
  const message = `points to the headers of ${tree.release} (${tree.root}), but is the build link of ${release}`;
  return { tree, problem: finding('build-link', message, { ...detail, expected: release }) };
}

function unlinked(tree: HeadersTree): Finding {
  const release = tree.release ?? '<release>';
  const why = '`make -C /lib/modules/$(uname -r)/build` finds it only if another package ships the link';
  return finding(
    'build-link-missing',
    `no /lib/modules/${release}/build link in the verified packages leads to ${tree.root}: ${why}`,
    {
      path: tree.root,
      package: tree.package,
    },
  );
}

export function checkBuildLinks(set: FileSet, trees: readonly HeadersTree[]): Record<BuildLinkId, CheckOutcome> {
  const links = buildLinks(set);
  const index = indexTrees(trees);
  const judged = links.map((link) => judgeLink(set, index, link));
  const linked = new Set(judged.map((j) => j.tree?.root));
  const findings = judged.map((j) => j.problem).filter((f) => f !== undefined);
  const missing = trees.filter((t) => !linked.has(t.root)).map(unlinked);
  const none = 'no /lib/modules/<release>/build in these packages';
  return {
    'build-link': {
      applicable: links.length > 0,
      findings,
      note: links.length > 0 ? counted(links.length, 'build link') : none,
    },
    'build-link-missing': {
      applicable: trees.length > 0,
      findings: missing,
      note: trees.length > 0 ? undefined : 'no headers tree',
    },
  };
}

export const buildLinkCheck: VerifyCheck<BuildLinkId> = {
  title: 'the /lib/modules/<release>/build links against the headers trees',
  ids: ['build-link', 'build-link-missing'],
  run: ({ set, trees }) => checkBuildLinks(set, trees),
};
