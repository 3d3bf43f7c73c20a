/**
 * The build machine's installed packages, from dpkg's database (/var/lib/dpkg/status, dpkg(1)),
 * and the closure dpkg-genbuildinfo records as Installed-Build-Depends: the packages asked for,
 * the essential ones, and everything they depend on (Depends, Pre-Depends), recursively.
 */
import { execa } from 'execa';
import { realpath } from 'node:fs/promises';
import { relationNames } from '../debian/relations.js';
import { deb822Paragraphs } from '../util/deb822.js';
import { readTextOrUndefined } from '../util/fs.js';
import { pathCandidates } from '../util/on-path.js';

export const DPKG_STATUS = '/var/lib/dpkg/status';

export interface InstalledPackage {
  name: string;
  arch: string;
  version: string;
  essential: boolean;
  /** Depends and Pre-Depends: alternatives of package names (versions and arch qualifiers dropped). */
  depends: string[][];
  /** Names it provides. */
  provides: string[];
}

/** The packages dpkg has fully installed ("install ok installed"). */
export function parseDpkgStatus(text: string): InstalledPackage[] {
  return deb822Paragraphs(text)
    .filter((s) => s.get('Status') === 'install ok installed')
    .map((s) => ({
      name: s.get('Package') ?? '',
      arch: s.get('Architecture') ?? '',
      version: s.get('Version') ?? '',
      essential: s.get('Essential') === 'yes',
      depends: [...relationNames(s.get('Pre-Depends')), ...relationNames(s.get('Depends'))],
      provides: relationNames(s.get('Provides')).flat(),
    }))
    .filter((p) => p.name !== '');
}

export async function readDpkgStatus(path = DPKG_STATUS): Promise<InstalledPackage[] | undefined> {
  const text = await readTextOrUndefined(path);
  return text === undefined ? undefined : parseDpkgStatus(text);
}

/**
 * The installed packages named in `roots`, the essential ones, and their dependencies,
 * recursively; a relation satisfied by several installed packages (alternatives, virtual
 * packages) brings in each of them, as dpkg-genbuildinfo does. Sorted by name, then arch.
 */
export function installedClosure(installed: readonly InstalledPackage[], roots: readonly string[]): InstalledPackage[] {
  const byName = new Map<string, InstalledPackage[]>();
  const add = (name: string, p: InstalledPackage): void => {
    byName.set(name, [...(byName.get(name) ?? []), p]);
  };
  for (const p of installed) {
    add(p.name, p);
    for (const v of p.provides) add(v, p);
  }
  const seen = new Set<InstalledPackage>();
  const queue = [...installed.filter((p) => p.essential), ...roots.flatMap((r) => byName.get(r) ?? [])];
  while (queue.length > 0) {
    const p = queue.pop();
    if (p === undefined || seen.has(p)) continue;
    seen.add(p);
    for (const group of p.depends) for (const name of group) queue.push(...(byName.get(name) ?? []));
  }
  return [...seen].sort((a, b) => (a.name === b.name ? a.arch.localeCompare(b.arch) : a.name < b.name ? -1 : 1));
}

/** The installed packages owning these programs (looked up on PATH, links followed); unknown ones are left out. */
export async function packagesOwning(programs: readonly string[]): Promise<string[]> {
  const paths = new Set<string>();
  for (const program of programs) {
    for (const candidate of program.includes('/') ? [program] : pathCandidates(program)) {
      try {
        paths.add(await realpath(candidate));
        // dpkg knows the path it installed, which may be the link: ask for both.
        paths.add(candidate);
        break;
      } catch {
        // not there
      }
    }
  }
  if (paths.size === 0) return [];
  const r = await execa('dpkg-query', ['--search', ...paths], { reject: false, stdin: 'ignore' });
  const owners = new Set<string>();
  for (const line of r.stdout.split('\n')) {
    // "gcc-12-aarch64-linux-gnu: /usr/bin/aarch64-linux-gnu-gcc-12", "a:arm64, b: /path"; "diversion by …" lines name no owner.
    const at = line.indexOf(': /');
    if (at <= 0 || line.startsWith('diversion by')) continue;
    for (const owner of line.slice(0, at).split(', ')) owners.add(owner.replace(/:.*$/, ''));
  }
  return [...owners].sort();
}
