import { hostDebianMirror } from '../apt/sources.js';
import { dependenciesOutside, readDebControl } from './deb-depends.js';
import { defaultTargetSuite, hostRelease } from '../apt/target-release.js';
import { BASE_PACKAGES, type RootfsSpec } from './rootfs.js';

export interface SmokeRootfsInput {
  readonly debianArch: string;
  readonly debs: readonly string[];
  readonly cacheDir: string;
  readonly suite?: string | undefined;
  readonly extraPackages?: readonly string[] | undefined;
  readonly mirror?: string | undefined;
}

/**
 * The rootfs a smoke run of `debs` needs: BASE_PACKAGES, the extra packages, and whatever the
 * debs depend on outside themselves, so that `dpkg -i` in the chroot needs no network.
 */
export async function smokeRootfsSpec(input: SmokeRootfsInput): Promise<RootfsSpec> {
  const controls = await Promise.all(input.debs.map((deb) => readDebControl(deb)));
  const packages = [...new Set([...BASE_PACKAGES, ...(input.extraPackages ?? []), ...dependenciesOutside(controls)])].sort();
  return {
    debianArch: input.debianArch,
    suite: input.suite ?? defaultTargetSuite(input.debianArch, await hostRelease()),
    packages,
    mirror: input.mirror ?? (await hostDebianMirror()),
    cacheDir: input.cacheDir,
  };
}
