import type { Command } from 'commander';
import { rpmPackager } from '../../formats/rpm/write-rpm.js';
import { rpmLayout, RPM_PACKAGE_KINDS } from '../../layouts/rpm/layout.js';
import { registerPackageCommand } from './package-command.js';

export function registerRpm(program: Command): void {
  registerPackageCommand(program, {
    name: 'rpm',
    description: "write the RPM packages of a built kernel as upstream's kernel.spec lays them out: kernel, kernel-devel (also when cross-compiled: host programs rebuilt for the target and checked), kernel-headers and, with CONFIG_DEBUG_INFO, kernel-debuginfo",
    packager: rpmPackager,
    layout: () => rpmLayout,
    kinds: RPM_PACKAGE_KINDS,
    versionHelp: "as kernel.spec: <release with '-' made '_'>-<build number>",
    helpAfter: "The rebuilt host programs link the target libraries kpkg builds with (Debian's archive, or --sysroot): for a Fedora or openSUSE userland, pass that distribution's root as --sysroot (and --plugin-sysroot for GCC plugins).",
  });
}
