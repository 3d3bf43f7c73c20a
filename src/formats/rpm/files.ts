/**
 * The package's file list: which paths the rpm owns, in rpm's order, as header tags and as
 * payload members — what rpmbuild 4.18's genCpioListAndHeader (build/files.c) records.
 *
 * Ownership. rpm packages own only the directories they list (%dir), never '/' or the system
 * directories above their files, which belong to the `filesystem` package. kpkg's package
 * layouts list exactly the directories a package owns, so the writer owns exactly the entries
 * given in `pkg.entries` — missing parents are not added (unlike sortEntries for the .deb), and
 * '/' is skipped if listed.
 *
 * Order: byte-wise by path (strcmp, compareFileListRecs), which is also the payload's order.
 * Per file, as rpmbuild records it: inode = index + 1 and device 1 (rpmbuild renumbers them;
 * 0 for ghosts, which have no stat), user/group "root", rdev 0, lang "", verify flags all set
 * (ghosts without digest, size, link target and mtime: RPMVERIFY_ALL & ~0x27), flags GHOST for
 * ghosts, SHA-256 digests of regular files ("" for the rest), size = content length for files,
 * target length for symlinks, 0 for directories and ghosts (rpmbuild stores a directory's
 * st_size, which varies with the build filesystem; rpm never verifies it).
 */
import type { CpioWriteEntry } from '../../archive/cpio.js';
import { CPIO_NEWC_MAX_SIZE } from '../../archive/cpio.js';
import { RPMTAG } from '../../archive/rpm.js';
import type { PackageEntry } from '../../package/model.js';
import { sortEntries } from '../../package/model.js';
import type { HeaderBuilder } from './header.js';

/** rpmfiles.h rpmfileAttrs. */
const RPMFILE_GHOST = 1 << 6;
/** rpmfiles.h: RPMVERIFY_ALL and what rpmbuild clears for ghosts (FILEDIGEST|FILESIZE|LINKTO|MTIME). */
const RPMVERIFY_ALL = 0xffffffff;
const RPMVERIFY_GHOST = (RPMVERIFY_ALL & ~(0x1 | 0x2 | 0x4 | 0x20)) >>> 0;
/** pgpHashAlgo SHA256 (rpmpgp.h), for FILEDIGESTALGO and PAYLOADDIGESTALGO. */
export const PGPHASHALGO_SHA256 = 8;

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

export interface RpmFile {
  entry: PackageEntry;
  /** Size recorded in the header. */
  size: number;
  mode: number;
}

function byteKey(path: string): string {
  return Buffer.from(path, 'utf8').toString('latin1');
}

/**
 * The owned entries in rpm's order. Paths and conflicts are checked by sortEntries (two entries
 * for a path, a file as a parent); the parents it adds are dropped again.
 */
export function rpmFiles(entries: readonly PackageEntry[]): RpmFile[] {
  const listed = new Set(entries.map((e) => e.path));
  listed.delete('/');
  const owned = sortEntries(entries).filter((e) => listed.has(e.path));
  owned.sort((a, b) => (byteKey(a.path) < byteKey(b.path) ? -1 : byteKey(a.path) > byteKey(b.path) ? 1 : 0));
  return owned.map((entry) => {
    switch (entry.kind) {
      case 'dir':
        return { entry, size: 0, mode: S_IFDIR | (entry.mode & 0o7777) };
      case 'file':
        return { entry, size: entry.size, mode: S_IFREG | (entry.mode & 0o7777) };
      case 'symlink':
        return { entry, size: Buffer.byteLength(entry.target, 'utf8'), mode: S_IFLNK | 0o777 };
      case 'ghost':
        return { entry, size: 0, mode: S_IFREG | (entry.mode & 0o7777) };
    }
  });
}

/** Whether the header needs LONGFILESIZES and the payload rpm's stripped cpio (build/files.c: size ≥ UINT32_MAX). */
export function hasLargeFiles(files: readonly RpmFile[]): boolean {
  return files.some((f) => f.size > CPIO_NEWC_MAX_SIZE);
}

/** The payload members: every file but ghosts, named "./path" (rpmlib(PayloadFilesHavePrefix)). */
export function payloadEntries(files: readonly RpmFile[], mtime: number): CpioWriteEntry[] {
  const out: CpioWriteEntry[] = [];
  files.forEach(({ entry }, index) => {
    const common = { name: `.${entry.path}`, ino: index + 1, mtime, fileIndex: index };
    switch (entry.kind) {
      case 'dir':
        out.push({ ...common, type: 'dir', mode: entry.mode });
        break;
      case 'file':
        out.push({ ...common, type: 'file', mode: entry.mode, size: entry.size, content: entry.source });
        break;
      case 'symlink':
        out.push({ ...common, type: 'symlink', target: entry.target });
        break;
      case 'ghost':
        break;
    }
  });
  return out;
}

/** DIRNAMES ("/usr/lib/", first-seen order), DIRINDEXES and BASENAMES (legacy.c, compressFilelist). */
function splitPaths(files: readonly RpmFile[]): { dirNames: string[]; dirIndexes: number[]; baseNames: string[] } {
  const dirs = new Map<string, number>();
  const dirIndexes: number[] = [];
  const baseNames: string[] = [];
  for (const { entry } of files) {
    const slash = entry.path.lastIndexOf('/');
    const dir = entry.path.slice(0, slash + 1);
    let index = dirs.get(dir);
    if (index === undefined) {
      index = dirs.size;
      dirs.set(dir, index);
    }
    dirIndexes.push(index);
    baseNames.push(entry.path.slice(slash + 1));
  }
  return { dirNames: [...dirs.keys()], dirIndexes, baseNames };
}

/** Puts the file tags into `header`. `digests` maps a regular file's path to its SHA-256 hex. */
export function addFileTags(
  header: HeaderBuilder,
  files: readonly RpmFile[],
  mtime: number,
  digests: ReadonlyMap<string, string>,
): void {
  if (files.length === 0) return;
  const { dirNames, dirIndexes, baseNames } = splitPaths(files);
  const isGhost = files.map((f) => f.entry.kind === 'ghost');
  const sizes = files.map((f) => f.size);
  if (hasLargeFiles(files)) header.int64(RPMTAG.LONGFILESIZES, sizes);
  else header.int32(RPMTAG.FILESIZES, sizes);
  header
    .int16(
      RPMTAG.FILEMODES,
      files.map((f) => f.mode),
    )
    .int16(
      RPMTAG.FILERDEVS,
      files.map(() => 0),
    )
    .int32(
      RPMTAG.FILEMTIMES,
      files.map(() => mtime),
    )
    .strings(
      RPMTAG.FILEDIGESTS,
      files.map(({ entry }) => (entry.kind === 'file' ? (digests.get(entry.path) ?? '') : '')),
    )
    .strings(
      RPMTAG.FILELINKTOS,
      files.map(({ entry }) => (entry.kind === 'symlink' ? entry.target : '')),
    )
    .int32(
      RPMTAG.FILEFLAGS,
      isGhost.map((ghost) => (ghost ? RPMFILE_GHOST : 0)),
    )
    .strings(
      RPMTAG.FILEUSERNAME,
      files.map(() => 'root'),
    )
    .strings(
      RPMTAG.FILEGROUPNAME,
      files.map(() => 'root'),
    )
    .int32(
      RPMTAG.FILEVERIFYFLAGS,
      isGhost.map((ghost) => (ghost ? RPMVERIFY_GHOST : RPMVERIFY_ALL)),
    )
    .int32(
      RPMTAG.FILEDEVICES,
      isGhost.map((ghost) => (ghost ? 0 : 1)),
    )
    .int32(
      RPMTAG.FILEINODES,
      files.map((_, i) => i + 1),
    )
    .strings(
      RPMTAG.FILELANGS,
      files.map(() => ''),
    )
    .int32(RPMTAG.DIRINDEXES, dirIndexes)
    .strings(RPMTAG.BASENAMES, baseNames)
    .strings(RPMTAG.DIRNAMES, dirNames)
    .int32(RPMTAG.FILEDIGESTALGO, [PGPHASHALGO_SHA256]);
}

/** The header's SIZE: regular files and symlinks (rpmbuild's isLinkable), ghosts counting 0. */
export function installedSize(files: readonly RpmFile[]): number {
  return files.reduce((sum, f) => sum + (f.entry.kind === 'file' || f.entry.kind === 'symlink' ? f.size : 0), 0);
}
