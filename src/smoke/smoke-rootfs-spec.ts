import { hostDebianMirror } from './apt-mirror.js';
import { dependenciesOutside, readDebControl } from './deb-depends.js';
import { defaultSuiteFor } from './debian-arch.js';
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
    suite: input.suite ?? defaultSuiteFor(input.debianArch),
    packages,
    mirror: input.mirror ?? (await hostDebianMirror()),
    cacheDir: input.cacheDir,
  };
}
