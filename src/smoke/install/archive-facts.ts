/**
 * Release, architecture and compiler of the kernel an .rpm, pacman package or tarball set is
 * for, read the way `kpkg verify` reads them (src/reader/): the release is the name of the
 * /lib/modules/<release>/build (or merged-/usr /usr/lib/modules/<release>/build) entry that
 * leads to a headers tree — the path `make -C` takes on the target, whatever layout the format
 * has (kernel-devel's /usr/src/kernels/<release>, the PKGBUILD's build directory, a tarball's
 * lib/modules/<release>/build); the architecture is the packages' own (RPM header ARCH, .PKGINFO
 * arch), else that of most of their ELF files (a tarball has no metadata).
 */
import { kernelCompiler, releaseVersion } from '../../kernel/compiler.js';
import { FileSet } from '../../reader/file-set.js';
import { findHeadersTrees } from '../../reader/headers-trees.js';
import type { ReadPackage } from '../../reader/model.js';
import { readInput } from '../../reader/open.js';
import { chooseTarget } from '../../reader/target.js';
import { KpkgError } from '../../util/errors.js';
import type { HeadersFacts } from './installer.js';

/** /lib/modules/<release>/build or /usr/lib/modules/<release>/build (merged /usr), or a path below it. */
const BUILD_ENTRY = /^(\/(?:usr\/)?lib\/modules\/([^/]+)\/build)(?:\/|$)/;

const OVERRIDE_HINT =
  'pass the headers package of one kernel (kernel-devel, <pkgbase>-headers or a tarball with lib/modules/<release>/build), or give --release and --arch';

/** The facts of packages already read (pure: no file access). */
export function factsOfPackages(packages: readonly ReadPackage[]): HeadersFacts {
  const set = new FileSet(packages);
  const trees = findHeadersTrees(set);
  // The build entries: links (kernel-devel) or directories, shipped as members or implied by their files.
  const candidates = new Map<string, string>();
  for (const member of set.all()) {
    const match = BUILD_ENTRY.exec(member.path);
    if (match?.[1] !== undefined && match[2] !== undefined) candidates.set(match[1], match[2]);
  }
  const builds = new Map<string, string>();
  for (const [path, release] of candidates) {
    const resolved = set.resolve(path);
    if (resolved.kind === 'dir' && trees.some((t) => t.root === resolved.path)) builds.set(release, resolved.path);
  }
  const names = packages.map((p) => p.name).join(', ');
  if (builds.size !== 1) {
    throw new KpkgError(
      builds.size === 0
        ? `no /lib/modules/<release>/build headers tree in ${names}`
        : `headers trees of more than one kernel release in ${names}: ${[...builds.keys()].sort().join(', ')}`,
      { hint: OVERRIDE_HINT, exitCode: 2 },
    );
  }
  const [[release, root] = ['', '']] = builds;
  const target = chooseTarget(undefined, packages);
  if (target.arch === undefined) {
    throw new KpkgError(`cannot tell the target architecture of ${names}: ${target.detail}`, {
      hint: 'give --arch and --release, e.g. --arch arm64 --release 6.1.192',
      exitCode: 2,
    });
  }
  const tree = trees.find((t) => t.root === root);
  return {
    release,
    debianArch: target.arch.debian,
    compiler: tree === undefined ? undefined : kernelCompiler(tree.config, releaseVersion(release)),
  };
}

/** Reads the packages (streamed, as `kpkg verify` does) and returns their facts. */
export async function archiveFacts(files: readonly string[]): Promise<HeadersFacts> {
  const packages: ReadPackage[] = [];
  for (const file of files) packages.push(await readInput(file));
  return factsOfPackages(packages);
}
