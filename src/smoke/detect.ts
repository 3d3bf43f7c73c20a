/**
 * Which installer `kpkg smoke` uses: the family of the given packages (./sniff.ts) and that
 * family's installer in the families table. This module sits above the table; the installers
 * themselves sit below it.
 */
import { basename } from 'node:path';
import { FAMILIES } from '../families/families.js';
import { KpkgError } from '../util/errors.js';
import type { Installer, SmokeInputFormat } from './install/installer.js';
import { sniffInput } from './install/sniff.js';

/** The installer of a family's packages. */
export function installerOf(format: SmokeInputFormat): Installer {
  return FAMILIES[format].smokeInstaller;
}

/** The one format of `files`; packages of different formats in one run are a usage error. */
export function commonFormat(files: readonly { file: string; format: SmokeInputFormat }[]): SmokeInputFormat {
  const first = files[0];
  if (first === undefined)
    throw new KpkgError('kpkg smoke needs at least one headers package to install', { exitCode: 2 });
  const other = files.find((f) => f.format !== first.format);
  if (other !== undefined) {
    throw new KpkgError(
      `kpkg smoke installs packages of one format per run: ${basename(first.file)} is ${first.format}, ${basename(other.file)} is ${other.format}`,
      { exitCode: 2 },
    );
  }
  return first.format;
}

/** The installer for `files` (host paths), from their contents. */
export async function installerFor(files: readonly string[]): Promise<Installer> {
  const sniffed = await Promise.all(files.map(async (file) => ({ file, format: (await sniffInput(file)).format })));
  return installerOf(commonFormat(sniffed));
}
