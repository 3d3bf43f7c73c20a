import { basename } from 'node:path';
import { KpkgError } from '../../util/errors.js';
import { debInstaller } from './deb.js';
import type { Installer, SmokeInputFormat } from './installer.js';
import { pacmanInstaller } from './pacman.js';
import { rpmInstaller } from './rpm.js';
import { sniffInput } from './sniff.js';
import { tarInstaller } from './tar.js';

export const INSTALLERS: Readonly<Record<SmokeInputFormat, Installer>> = {
  deb: debInstaller,
  rpm: rpmInstaller,
  pacman: pacmanInstaller,
  tar: tarInstaller,
};

/** The one format of `files`; packages of different formats in one run are a usage error. */
export function commonFormat(files: readonly { file: string; format: SmokeInputFormat }[]): SmokeInputFormat {
  const first = files[0];
  if (first === undefined) throw new KpkgError('kpkg smoke needs at least one headers package to install', { exitCode: 2 });
  const other = files.find((f) => f.format !== first.format);
  if (other !== undefined) {
    throw new KpkgError(`kpkg smoke installs packages of one format per run: ${basename(first.file)} is ${first.format}, ${basename(other.file)} is ${other.format}`, { exitCode: 2 });
  }
  return first.format;
}

/** The installer for `files` (host paths), from their contents. */
export async function installerFor(files: readonly string[]): Promise<Installer> {
  const sniffed = await Promise.all(files.map(async (file) => ({ file, format: (await sniffInput(file)).format })));
  return INSTALLERS[commonFormat(sniffed)];
}
