import type { Packager } from '../packager.js';
import { debUploadFiles } from './upload-files.js';
import { prepareDeb, writeDeb } from './write-deb.js';

/** The Debian file name dpkg-name would give: <name>_<version without epoch>_<arch>.deb. */
export function debFileName(name: string, version: string, arch: string): string {
  return `${name}_${version.replace(/^\d+:/, '')}_${arch}.deb`;
}

export const debPackager: Packager = {
  format: 'deb',
  compressions: ['xz', 'zstd', 'gzip', 'none'],
  fileName: (pkg) => debFileName(pkg.name, pkg.version, pkg.arch),
  write: (pkg, outPath, options) =>
    writeDeb(pkg, outPath, { compression: options.compression, level: options.level, members: options.members }),
  prepare: (pkg, options) =>
    prepareDeb(pkg, { compression: options.compression, level: options.level, members: options.members }),
  setFiles: debUploadFiles,
};
