import { basename } from 'node:path';
import { bootInstallPathFor } from '../../arch/kconfig.js';
import { dependenciesOutside, readDebControl } from './deb-depends.js';
import { headersDebsFacts } from './headers-debs.js';
import type { Installer } from './installer.js';

const DPKG_INSTALL = ['dpkg', '--force-unsafe-io', '--install'] as const;

/** .deb: the rootfs's dpkg; the debs' Depends outside themselves go into the rootfs beforehand. */
export const debInstaller: Installer = {
  format: 'deb',
  program: 'dpkg',
  summary: 'dpkg -i',
  async rootfsPackages(files) {
    return dependenciesOutside(await Promise.all(files.map((deb) => readDebControl(deb))));
  },
  commands(files) {
    // The image first, then the rest, as on a machine that gets its headers later: the headers'
    // header_postinst.d hooks (dkms) then meet an installed kernel, and the image's own hooks none.
    const images = files.filter((file) => basename(file).startsWith('linux-image-'));
    const rest = files.filter((file) => !images.includes(file));
    // unsafe-io: no fsync per file; this rootfs is thrown away anyway (saves much of dpkg's time under qemu).
    return [images, rest].filter((group) => group.length > 0).map((group) => [...DPKG_INSTALL, ...group]);
  },
  // linux-image-<release> installs it as /boot/<the arch's image name>-<release> (layouts/deb/image.ts).
  kernelFile: bootInstallPathFor,
  facts: (files) => headersDebsFacts(files),
};
