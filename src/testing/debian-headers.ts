/**
 * Test helper (not used by kpkg itself): Debian's own split kernel headers for arm64 (through the
 * smoke tests' fixture) and the same release for amd64, downloaded with kpkg's private apt into its cache.
 */
import { basename } from 'node:path';
import { debianArm64Headers, fixtureApt } from './smoke-fixtures.js';

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
  const common = arm64.debs.find((d) => basename(d).startsWith(`linux-headers-${abi}-common_`));
  const kbuildName = basename(arm64.kbuildDeb).split('_')[0] ?? '';
  if (common === undefined || kbuildName === '')
    throw new Error(`cannot tell the -common and kbuild packages apart in ${arm64.debs.join(', ')}`);
  const wanted = [`linux-headers-${abi}-amd64`, kbuildName];
  const apt = await fixtureApt();
  const [headers = '', kbuild = ''] = await apt.download(
    wanted.map((name) => ({ name, version: arm64.version, arch: 'amd64' })),
  );
  return { release: `${abi}-amd64`, version: arm64.version, debs: [headers, common, kbuild] };
}
