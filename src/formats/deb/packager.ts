import { AR_MTIME_MAX } from '../../archive/ar.js';
import { KpkgError } from '../../util/errors.js';
import type { Packager, SetFields } from '../packager.js';
import { checkDebMaintainer, checkDebVersion } from './control.js';
import { debUploadFiles } from './upload-files.js';
import { prepareDeb, writeDeb } from './write-deb.js';

/** The Debian file name dpkg-name would give: <name>_<version without epoch>_<arch>.deb. */
export function debFileName(name: string, version: string, arch: string): string {
  return `${name}_${version.replace(/^\d+:/, '')}_${arch}.deb`;
}

/** The version's syntax, the maintainer's shape, and a time its ar headers hold. */
function checkDebFields(fields: SetFields): void {
  if (fields.version !== undefined) checkDebVersion(fields.version);
  if (fields.maintainer !== undefined) checkDebMaintainer(fields.maintainer);
  if (fields.mtime !== undefined && fields.mtime > AR_MTIME_MAX)
    throw new KpkgError(`the time stamp ${fields.mtime} does not fit a .deb's ar headers (at most ${AR_MTIME_MAX})`);
}

export const debPackager: Packager = {
  format: 'deb',
  compressions: ['xz', 'zstd', 'gzip', 'none'],
  checkFields: checkDebFields,
  fileName: (pkg) => debFileName(pkg.name, pkg.version, pkg.arch),
  write: (pkg, outPath, options) =>
    writeDeb(pkg, outPath, { compression: options.compression, level: options.level, members: options.members }),
  prepare: (pkg, options) =>
    prepareDeb(pkg, { compression: options.compression, level: options.level, members: options.members }),
  setFiles: debUploadFiles,
};
