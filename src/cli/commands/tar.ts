import type { Command } from 'commander';
import { tarballPackager } from '../../formats/tar/write-tarball.js';
import { tarLayout } from '../../layouts/tar/layout.js';
import { registerPackageCommand } from './package-command.js';

export function registerTar(program: Command): void {
  registerPackageCommand<string, { headers: boolean }>(program, {
    name: 'tar',
    description: "write a tarball of a built kernel as `make tar-pkg` lays it out (boot/, lib/modules/<release>/, boot/dtbs/<release>/) plus the headers tree at lib/modules/<release>/build, host programs rebuilt for the target and checked",
    packager: tarballPackager,
    layout: (options) => tarLayout({ headers: options.headers }),
    kinds: ['tarball'],
    versionHelp: 'the kernel release (a tarball carries no version)',
    extraOptions: (command) => command.option('--no-headers', 'leave out the headers tree (what make tar-pkg ships)'),
  });
}
