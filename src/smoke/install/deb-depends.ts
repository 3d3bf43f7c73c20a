import { execa } from 'execa';
import { KpkgError } from '../../util/errors.js';
import { relationNames } from '../../debian/relations.js';

/** The control fields of a .deb that decide what else must be installed before it. */
export interface DebControl {
  readonly package: string;
  readonly depends: string;
  readonly preDepends: string;
  readonly provides: string;
}

/**
 * Packages the target rootfs must already have so that `dpkg -i` of `debs` succeeds without a
 * network: every Depends/Pre-Depends clause not satisfied by the debs themselves, resolved to its
 * first alternative (versions are left to the suite). Sorted, without duplicates.
 */
export function dependenciesOutside(debs: readonly DebControl[]): string[] {
  const provided = new Set<string>();
  for (const deb of debs) {
    provided.add(deb.package);
    for (const [name] of relationNames(deb.provides)) if (name !== undefined) provided.add(name);
  }
  const needed = new Set<string>();
  for (const deb of debs) {
    for (const alternatives of relationNames(`${deb.depends},${deb.preDepends}`)) {
      if (alternatives.some((name) => provided.has(name))) continue;
      const first = alternatives[0];
      if (first !== undefined) needed.add(first);
    }
  }
  return [...needed].sort();
}

/** Reads the control fields with dpkg-deb. */
/** Control fields of a .deb as dpkg-deb --show formats them, e.g. '${Package}\\t${Architecture}'. */
export async function showDebFields(debPath: string, format: string): Promise<string> {
  try {
    return (await execa('dpkg-deb', ['--show', `--showformat=${format}`, debPath])).stdout;
  } catch (cause) {
    throw new KpkgError(`cannot read the control data of ${debPath}`, {
      where: debPath,
      hint: `check the file with: dpkg-deb --info ${debPath}  (dpkg-deb comes with: apt-get install dpkg)`,
      exitCode: 2,
      cause,
    });
  }
}

export async function readDebControl(debPath: string): Promise<DebControl> {
  const stdout = await showDebFields(debPath, '${Package}\\n${Depends}\\n${Pre-Depends}\\n${Provides}\\n');
  const [pkg = '', depends = '', preDepends = '', provides = ''] = stdout.split('\n');
  return { package: pkg, depends, preDepends, provides };
}
