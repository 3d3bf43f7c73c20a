/**
 * One row of the families table (./families.ts): everything kpkg has for one package family —
 * the layout that splits a kernel into that distribution's packages, the container writer, how
 * `kpkg smoke` installs the packages, how `kpkg verify` reads them, and the `kpkg <family>`
 * command. The CLI, smoke and verify take their lists of families from the table.
 */
import type { Command } from 'commander';
import type { Packager } from '../formats/packager.js';
import type { DistributionLayout } from '../layouts/layout.js';
import type { FamilyId } from '../package/family.js';
import type { Installer } from '../smoke/install/installer.js';
import type { ContainerReader } from '../reader/open.js';

/** The parts of `kpkg <family>` that differ between families; the shared options are in src/cli/. */
export interface FamilyCommand {
  /** The command's description (its name is the family's id). */
  readonly description: string;
  /** What --pkg-version defaults to, for the help text. */
  readonly versionHelp: string;
  /** Adds the family's own options (their parsed values reach Family.layout). */
  readonly extraOptions?: (command: Command) => Command;
  /** Text after the options in --help. */
  readonly helpAfter?: string;
  /** The environment variables the family's upstream tooling reads for these options (an option given wins). */
  readonly environment?: {
    readonly compress?: string;
    readonly pkgVersion?: string;
    /** --jobs from the environment, e.g. DEB_BUILD_OPTIONS=parallel=N. */
    readonly jobs?: (env: NodeJS.ProcessEnv) => string | undefined;
  };
}

export interface Family<Kind extends string = string, Options extends object = object> {
  readonly id: FamilyId;
  /** The distributions whose packaging the layout follows, and the upstream script it mirrors. */
  readonly distribution: string;
  /** The package kinds, in write order: what --only accepts. */
  readonly kinds: readonly Kind[];
  /** The layout for the command's parsed options (some families have layout options, e.g. --pkgbase). */
  layout(options: Options): DistributionLayout<Kind>;
  /** The container writer (src/formats/). */
  readonly packager: Packager;
  /** How `kpkg smoke` installs the packages in a target rootfs (src/smoke/install/). */
  readonly smokeInstaller: Installer;
  /** How `kpkg verify` reads a package, by its container (src/reader/). */
  readonly verifyReader: ContainerReader;
  readonly command: FamilyCommand;
}
