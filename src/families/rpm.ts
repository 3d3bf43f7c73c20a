import { rpmPackager } from '../formats/rpm/write-rpm.js';
import { RPM_PACKAGE_KINDS, rpmLayout, type RpmPackageKind } from '../layouts/rpm/layout.js';
import { rpmInstaller } from '../smoke/install/rpm.js';
import { CONTAINER_READERS } from '../reader/open.js';
import type { Family } from './family.js';

/** .rpm: what upstream's scripts/package/kernel.spec declares, for Fedora, RHEL, openSUSE and the like. */
export const rpmFamily: Family<RpmPackageKind> = {
  id: 'rpm',
  distribution: "RPM-based distributions (Fedora, RHEL, openSUSE ...), as upstream's kernel.spec lays them out",
  kinds: RPM_PACKAGE_KINDS,
  layout: () => rpmLayout,
  packager: rpmPackager,
  smokeInstaller: rpmInstaller,
  verifyReader: CONTAINER_READERS.rpm,
  command: {
    description:
      "write the RPM packages of a built kernel as upstream's kernel.spec lays them out: kernel, kernel-devel (also when cross-compiled: host programs rebuilt for the target and checked), kernel-headers and, with CONFIG_DEBUG_INFO, kernel-debuginfo",
    versionHelp: "as kernel.spec: <release with '-' made '_'>-<build number>",
    helpAfter:
      "The rebuilt host programs link the target libraries kpkg builds with (Debian's archive, or --sysroot): for a Fedora or openSUSE userland, pass that distribution's root as --sysroot (and --plugin-sysroot for GCC plugins).",
  },
};
