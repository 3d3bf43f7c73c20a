import { rpmKernelFile } from '../../layouts/rpm/layout.js';
import { archiveFacts } from './archive-facts.js';
import type { Installer } from './installer.js';

/**
 * Debian's rpm keeps its database in ~/.rpmdb unless told otherwise (its %_dbpath); kpkg names
 * the system's own place, initialises it (rpm 4.18's sqlite database) and installs there.
 */
export const RPM_DBPATH = '/var/lib/rpm';

/**
 * .rpm: the rootfs's own rpm (Debian's `rpm` package). --nodeps: the packages require what a
 * Fedora or openSUSE system provides (and rpmlib features), none of which a Debian rpm database
 * lists; what the module build needs is in the rootfs as Debian packages.
 */
export const rpmInstaller: Installer = {
  format: 'rpm',
  program: 'rpm',
  summary: `rpm -i --nodeps (the rootfs's own rpm, database in ${RPM_DBPATH})`,
  rootfsPackages: () => Promise.resolve(['rpm']),
  commands: (files) => [
    ['rpm', '--dbpath', RPM_DBPATH, '--initdb'],
    ['rpm', '--dbpath', RPM_DBPATH, '-i', '--nodeps', ...files],
  ],
  kernelFile: (_arch, release) => rpmKernelFile(release),
  facts: (files) => archiveFacts(files),
};
