import type { Command } from 'commander';
import { debPackager } from '../../formats/deb/packager.js';
import { debianLayout, DEB_PACKAGE_KINDS } from '../../layouts/debian/layout.js';
import { registerPackageCommand } from './package-command.js';

export function registerDeb(program: Command): void {
  registerPackageCommand(program, {
    name: 'deb',
    description: 'write the Debian packages of a built kernel: linux-image, linux-headers (host programs rebuilt for the target and checked), linux-libc-dev and, with CONFIG_DEBUG_INFO, linux-image-dbg',
    packager: debPackager,
    layout: () => debianLayout,
    kinds: DEB_PACKAGE_KINDS,
    versionHelp: 'as upstream: <release>-<build number>, since 6.3 <kernel version without local version>-<build number>; like KDEB_PKGVERSION',
  });
}
