/**
 * Debian's linux-source-<series> package for tools/kernel-tree, from whichever suite carries it, with
 * kpkg's private apt (the build machine's apt state is not touched: bullseye's 5.10 and sid's newest
 * kernel are not installable side by side on bookworm anyway). The tarball inside,
 * /usr/src/linux-source-<series>.tar.xz, is unpacked once per package version into the cache.
 */
import { execa } from 'execa';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PrivateApt } from '../apt/private-apt.js';
import { targetArchive } from '../apt/target-release.js';
import { kpkgCacheDir } from '../util/cache.js';
import { isFile } from '../util/fs.js';

/** The suite each series comes from; `newest` is whatever sid carries, picked up by name. */
const SUITE_OF_SERIES: Readonly<Record<string, string>> = {
  '5.10': 'bullseye',
  '6.1': 'bookworm',
  '6.12': 'trixie',
  newest: 'sid',
};

export interface KernelSource {
  /** e.g. 7.2 (resolved from `newest`). */
  readonly series: string;
  readonly packageVersion: string;
  readonly suite: string;
  readonly tarball: string;
}

/** The highest linux-source-X.Y among package names (numeric, not lexical: 6.12 > 6.9). */
export function newestSeries(names: readonly string[]): string | undefined {
  const series = names
    .map((n) => /^linux-source-(\d+)\.(\d+)$/.exec(n))
    .filter((m) => m !== null)
    .map((m) => [Number(m[1]), Number(m[2])] as const);
  series.sort((a, b) => b[0] - a[0] || b[1] - a[1]);
  const top = series[0];
  return top === undefined ? undefined : `${top[0]}.${top[1]}`;
}

export async function kernelSource(wanted: string, cacheDir = kpkgCacheDir()): Promise<KernelSource> {
  const suite = SUITE_OF_SERIES[wanted];
  if (suite === undefined)
    throw new Error(`no suite known for linux-source-${wanted} (known: ${Object.keys(SUITE_OF_SERIES).join(', ')})`);
  // Debian's archive whatever the build machine runs (linux-source-X.Y is Architecture: all).
  const archive = await targetArchive('amd64', { suite }, { id: 'debian', codename: undefined });
  const apt = new PrivateApt(join(cacheDir, 'apt', `kernel-sources-${suite}`), {
    ...archive,
    architectures: ['amd64'],
  });
  await apt.update();
  const series = wanted === 'newest' ? newestSeries(await apt.packageNames('linux-source-')) : wanted;
  if (series === undefined) throw new Error(`${suite} carries no linux-source-X.Y package`);
  const name = `linux-source-${series}`;
  const candidate = await apt.candidate(name);
  if (candidate === undefined) throw new Error(`${suite} has no ${name} (apt lists in ${apt.dir})`);
  const dir = join(cacheDir, 'sources', 'debs', `${name}-${candidate.version}`);
  const tarball = join(dir, `${name}.tar.xz`);
  if (!(await isFile(tarball))) {
    const [deb] = await apt.download([candidate]);
    if (deb === undefined) throw new Error(`apt downloaded nothing for ${name}`);
    const scratch = `${dir}.tmp-${process.pid}`;
    await rm(scratch, { recursive: true, force: true });
    await mkdir(scratch, { recursive: true });
    await execa('dpkg-deb', ['-x', deb, scratch]);
    await mkdir(dir, { recursive: true });
    await rename(join(scratch, 'usr/src', `${name}.tar.xz`), tarball);
    await rm(scratch, { recursive: true, force: true });
    await rm(deb, { force: true });
  }
  return { series, packageVersion: candidate.version, suite, tarball };
}
