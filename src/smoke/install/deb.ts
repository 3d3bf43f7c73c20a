import { bootInstallPathFor } from '../../arch/kconfig.js';
import { dependenciesOutside, readDebControl } from './deb-depends.js';
import { headersDebsFacts } from './headers-debs.js';
import type { Installer } from './installer.js';

/** .deb: the rootfs's dpkg; the debs' Depends outside themselves go into the rootfs beforehand. */
export const debInstaller: Installer = {
  format: 'deb',
  program: 'dpkg',
  summary: 'dpkg -i',
  async rootfsPackages(files) {
    return dependenciesOutside(await Promise.all(files.map((deb) => readDebControl(deb))));
  },
  commands(files) {
    // unsafe-io: no fsync per file; this rootfs is thrown away anyway (saves much of dpkg's time under qemu).
    return [['dpkg', '--force-unsafe-io', '--install', ...files]];
  },
  // linux-image-<release> installs it as /boot/<the arch's image name>-<release> (layouts/deb/image.ts).
  kernelFile: bootInstallPathFor,
  facts: (files) => headersDebsFacts(files),
};
