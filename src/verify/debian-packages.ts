/**
 * Test helper (not used by kpkg itself): Debian's own split kernel headers for arm64 (through the
 * smoke tests' fixture) and the same release for amd64, downloaded with apt-get into kpkg's cache.
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { execa } from 'execa';
import { debianArm64Headers } from '../smoke/test-fixtures.js';
import { withDirLock } from '../util/dir-lock.js';

export interface DebianHeaderSet {
  release: string;
  version: string;
  /** linux-headers-<release>, linux-headers-<abi>-common, linux-kbuild-<series>. */
  debs: string[];
}

export async function debianArm64HeaderSet(): Promise<DebianHeaderSet> {
  const h = await debianArm64Headers();
  return { release: h.release, version: h.version, debs: [...h.debs] };
}

/** The amd64 flavour of the same Debian release: linux-headers-<abi>-amd64, the same -common, linux-kbuild for amd64. */
export async function debianAmd64HeaderSet(): Promise<DebianHeaderSet> {
  const arm64 = await debianArm64Headers();
  const abi = arm64.release.replace(/-arm64$/, '');
  const dir = dirname(arm64.kbuildDeb);
  const common = arm64.debs.find((d) => basename(d).startsWith(`linux-headers-${abi}-common_`));
  const kbuildName = basename(arm64.kbuildDeb).split('_')[0] ?? '';
  if (common === undefined || kbuildName === '') throw new Error(`cannot tell the -common and kbuild packages apart in ${arm64.debs.join(', ')}`);
  const wanted = [`linux-headers-${abi}-amd64`, kbuildName];
  const escapedVersion = arm64.version.replace(/:/g, '%3a');
  const fileOf = (files: readonly string[], name: string): string | undefined => files.find((f) => f === `${name}_${escapedVersion}_amd64.deb`);
  return withDirLock(join(dir, '.lock'), async () => {
    let files = await readdir(dir);
    const missing = wanted.filter((name) => fileOf(files, name) === undefined);
    if (missing.length > 0) {
      const r = await execa('apt-get', ['download', ...missing.map((name) => `${name}:amd64=${arm64.version}`)], { cwd: dir, reject: false });
      if (r.exitCode !== 0) throw new Error(`apt-get download ${missing.join(' ')} failed; fix: apt-get update\n${r.stderr}`);
      files = await readdir(dir);
    }
    const [headers, kbuild] = wanted.map((name) => {
      const file = fileOf(files, name);
      if (file === undefined) throw new Error(`apt-get download left no ${name} .deb in ${dir}`);
      return join(dir, file);
    });
    return { release: `${abi}-amd64`, version: arm64.version, debs: [headers ?? '', common, kbuild ?? ''] };
  });
}
