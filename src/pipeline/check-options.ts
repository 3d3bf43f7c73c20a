/**
 * What the options of a package command decide, checked before any work: the compressor and its
 * level, the version, revision and maintainer the user gave, the time stamp — each against the
 * rules of the format that will carry it (the rules live with the compressor, the layouts' shared
 * set and the writers; this only asks them). A value no package could carry is a usage error
 * (exit 2) in one line, never a failure at write time after the whole rebuild. Then, once the tree
 * is known, --out must not be inside it.
 */
import { realpath } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { compressionLevel, type CompressionKind } from '../archive/compress.js';
import type { Packager } from '../formats/packager.js';
import type { KernelTree } from '../kernel/tree.js';
import {
  checkMaintainer,
  checkPackageVersion,
  checkRevision,
  sourceDateEpochFromEnvironment,
} from '../layouts/package-set.js';
import { asUsageError, KpkgError } from '../util/errors.js';
import type { BuildOptions } from './build-types.js';

/** The compression the packages get: the one asked for, else the format's first; one the format has no use for is refused. */
function checkCompression(packager: Packager, compression: CompressionKind | undefined): CompressionKind {
  const chosen = compression ?? packager.compressions[0];
  if (chosen === undefined || !packager.compressions.includes(chosen)) {
    throw new KpkgError(`${packager.format} packages cannot be compressed with ${String(chosen)}`, {
      hint: `choose from: ${packager.compressions.join(', ')}`,
      exitCode: 2,
    });
  }
  return chosen;
}

/**
 * Checks every option a package command takes before any work; returns the compression to use.
 * Throws a usage error (exit 2) naming the option and the rule it breaks.
 */
export function checkBuildOptions<Kind extends string>(
  packager: Packager,
  options: BuildOptions<Kind>,
): CompressionKind {
  const compression = checkCompression(packager, options.compression);
  asUsageError(
    () => compressionLevel(compression, options.level),
    `pass a --level in that range, or none for ${compression}'s default`,
  );
  if (options.revision !== undefined) checkRevision(options.revision);
  const { version, maintainer } = options;
  if (version !== undefined) {
    asUsageError(() => {
      checkPackageVersion(version);
      packager.checkFields?.({ version });
    }, `pass a --pkg-version that ${packager.format} packages can carry`);
  }
  if (maintainer !== undefined) {
    checkMaintainer(maintainer);
    asUsageError(() => packager.checkFields?.({ maintainer }), 'pass --maintainer "Name <email>"');
  }
  const mtime = options.sourceDateEpoch ?? sourceDateEpochFromEnvironment();
  if (mtime !== undefined)
    asUsageError(
      () => packager.checkFields?.({ mtime }),
      'pass a smaller --source-date-epoch (or SOURCE_DATE_EPOCH), e.g. $(git log -1 --format=%ct)',
    );
  return compression;
}

/** The real path of `path`, which need not exist yet: its nearest existing ancestor resolved, the rest appended. */
async function realPathOf(path: string): Promise<string> {
  const absolute = resolve(path);
  try {
    return await realpath(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(await realPathOf(parent), basename(absolute));
  }
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}

/**
 * Refuses an --out inside the build or the source tree (their real paths, links resolved): kpkg
 * would write into the tree it only reads, and package a previous run's files with the headers.
 */
export async function checkOutOutsideTree(out: string, tree: Pick<KernelTree, 'objtree' | 'srctree'>): Promise<void> {
  const real = await realPathOf(out);
  for (const [dir, what] of [
    [tree.objtree, 'the build tree'],
    [tree.srctree, 'the source tree'],
  ] as const) {
    const realDir = await realPathOf(dir);
    if (isInside(real, realDir))
      throw new KpkgError(
        `--out ${out} is inside ${what} ${realDir}: kpkg only reads the tree, and would package what it wrote there`,
        {
          hint: 'choose an --out outside the build and source trees, e.g. --out ../packages',
          exitCode: 2,
        },
      );
  }
}
