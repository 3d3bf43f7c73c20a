import { tarballPackager } from '../formats/tar/write-tarball.js';
import { tarLayout, type TarKind } from '../layouts/tar/layout.js';
import { tarInstaller } from '../smoke/install/tar.js';
import { CONTAINER_READERS } from '../reader/open.js';
import type { Family } from './family.js';

const TAR_KINDS: readonly TarKind[] = ['tarball'];

/** A tarball: what `make tar-pkg` writes (scripts/package/buildtar), plus the headers tree. */
export const tarFamily: Family<TarKind, { headers: boolean }> = {
  id: 'tar',
  distribution: 'any: a tarball unpacked at /, as make tar-pkg lays it out, plus the headers tree',
  kinds: TAR_KINDS,
  layout: (options) => tarLayout({ headers: options.headers }),
  packager: tarballPackager,
  smokeInstaller: tarInstaller,
  // A plain tarball has no .PKGINFO: the tar reader calls it tar.
  verifyReader: CONTAINER_READERS.tar,
  command: {
    description:
      'write a tarball of a built kernel as `make tar-pkg` lays it out (boot/, lib/modules/<release>/, boot/dtbs/<release>/) plus the headers tree at lib/modules/<release>/build, host programs rebuilt for the target and checked',
    versionHelp: 'the kernel release (a tarball carries no version)',
    extraOptions: (command) => command.option('--no-headers', 'leave out the headers tree (what make tar-pkg ships)'),
  },
};
