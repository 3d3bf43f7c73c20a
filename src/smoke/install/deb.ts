import { basename } from 'node:path';
import { bootInstallPathFor } from '../../arch/kconfig.js';
import { dependenciesOutside, readDebControl } from './deb-depends.js';
import { headersDebsFacts } from './headers-debs.js';
import type { Installer } from './installer.js';

const DPKG_INSTALL = ['dpkg', '--force-unsafe-io', '--install'] as const;
/** The headers debs: linux-headers-* and, in Debian's split layout, linux-kbuild-*. */
const HEADERS_DEB = /^linux-(headers|kbuild)-/;

/** .deb: the rootfs's dpkg; the debs' Depends outside themselves go into the rootfs beforehand. */
export const debInstaller: Installer = {
  format: 'deb',
  program: 'dpkg',
  summary: 'dpkg -i',
  async rootfsPackages(files) {
    return dependenciesOutside(await Promise.all(files.map((deb) => readDebControl(deb))));
  },
  commands(files) {
    // The headers last, as on a machine that gets them after its kernel: their header_postinst.d
    // hooks (dkms) then meet an installed image, whose own hooks met no headers.
    const headers = files.filter((file) => HEADERS_DEB.test(basename(file)));
    const rest = files.filter((file) => !headers.includes(file));
    // unsafe-io: no fsync per file; this rootfs is thrown away anyway (saves much of dpkg's time under qemu).
    return [rest, headers].filter((group) => group.length > 0).map((group) => [...DPKG_INSTALL, ...group]);
  },
  // linux-image-<release> installs it as /boot/<the arch's image name>-<release> (layouts/deb/image.ts).
  kernelFile: bootInstallPathFor,
  facts: (files) => headersDebsFacts(files),
};
