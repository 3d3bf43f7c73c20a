import type { Command } from 'commander';
import { debPackager } from '../formats/deb/packager.js';
import { DEB_PACKAGE_KINDS, debianLayoutWith, type DebPackageKind } from '../layouts/deb/layout.js';
import {
  DEFAULT_DEBIAN_SETTINGS,
  debianSettings,
  parallelFromBuildOptions,
  UPSTREAM_VARIABLES as VARS,
} from '../layouts/deb/settings.js';
import { debInstaller } from '../smoke/install/deb.js';
import { CONTAINER_READERS } from '../reader/open.js';
import type { Family } from './family.js';
import { variableValue, withVariable } from './variables.js';

interface DebOptions {
  sourceName?: string;
  distribution?: string;
  urgency?: string;
  hookDir?: string;
}

function debOptions(command: Command): Command {
  const defaults = DEFAULT_DEBIAN_SETTINGS;
  return command
    .option(
      '--source-name <name>',
      `the Source: field and the changelog's package name (default: ${withVariable(defaults.sourceName, VARS.sourceName)})`,
    )
    .option(
      '--distribution <dist>',
      `the changelog's distribution, also the .changes file's (default: ${withVariable(defaults.distribution, VARS.distribution)})`,
    )
    .option(
      '--urgency <urgency>',
      `the changelog's urgency: low, medium, high, emergency or critical (default: ${defaults.urgency})`,
    )
    .option(
      '--hook-dir <dir>',
      `where the maintainer scripts of linux-image and linux-headers run the kernel hooks from (default: ${withVariable(defaults.hookDir, VARS.hookDir)})`,
    );
}

/** .deb: what `make bindeb-pkg` writes (scripts/package/mkdebian, builddeb), for Debian and its derivatives. */
export const debFamily: Family<DebPackageKind, DebOptions> = {
  id: 'deb',
  distribution: 'Debian and its derivatives (Ubuntu ...), as make bindeb-pkg lays them out',
  kinds: DEB_PACKAGE_KINDS,
  layout: (options) =>
    debianLayoutWith(
      debianSettings({
        sourceName: options.sourceName ?? variableValue(VARS.sourceName),
        distribution: options.distribution ?? variableValue(VARS.distribution),
        urgency: options.urgency,
        hookDir: options.hookDir ?? variableValue(VARS.hookDir),
      }),
    ),
  packager: debPackager,
  smokeInstaller: debInstaller,
  verifyReader: CONTAINER_READERS.deb,
  command: {
    description:
      'write the Debian packages of a built kernel: linux-image, linux-headers (host programs rebuilt for the target and checked), linux-libc-dev and, with CONFIG_DEBUG_INFO, linux-image-dbg',
    versionHelp:
      'as upstream: <release>-<build number>, since 6.3 <kernel version without local version>-<build number>',
    environment: {
      compress: VARS.compress,
      pkgVersion: VARS.pkgVersion,
      jobs: (env) => parallelFromBuildOptions(env.DEB_BUILD_OPTIONS),
    },
    extraOptions: debOptions,
    helpAfter: `Like make bindeb-pkg, kpkg deb reads ${Object.values(VARS).join(', ')} and DEB_BUILD_OPTIONS=parallel=N (--jobs); an option given wins, an empty variable counts as unset.`,
  },
};
