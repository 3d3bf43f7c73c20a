import { readdir, stat } from 'node:fs/promises';
import { readElfFile } from '../elf/elf.js';
import { describeIdentity, identityOf, sameIdentity } from '../elf/identity.js';
import { debianArchInfo } from './debian-arch.js';
import { resolveInRoot } from './path-in-root.js';

/** An executable or shared object that cannot run on the target. */
export interface ForeignBinary {
  /** Path inside the rootfs, as reached from the scanned directory. */
  readonly path: string;
  /** What it is built for, from describeIdentity: e.g. "x86-64 64-bit little-endian". */
  readonly found: string;
}

/**
 * Walks `dirInRoot` (following symlinks the way the target would, e.g. Debian's
 * /lib/modules/<release>/build → /usr/src/linux-headers-... → ../linux-kbuild-6.1/scripts) and
 * lists the ELF executables and shared objects that are not for `debianArch`. This catches what
 * emulation cannot: on an x86-64 host, a static x86-64 fixdep would run natively in the rootfs
 * and the smoke build would pass although the board could never run it. Only files with an
 * execute bit or a .so name are read; of those, only ET_EXEC and ET_DYN files count (not
 * relocatables or core dumps), compared by machine, class, byte order and, when both sides
 * define it, the ARM float ABI. Files whose ELF header or program headers cannot be read are
 * skipped: they are not identifiable as anything.
 */
export async function findForeignBinaries(
  root: string,
  dirInRoot: string,
  debianArch: string,
): Promise<ForeignBinary[]> {
  const want = debianArchInfo(debianArch).elf;
  const foreign: ForeignBinary[] = [];
  const visited = new Set<string>();
  const queue: string[] = [dirInRoot];
  for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
    const hostDir = await resolveInRoot(root, dir);
    if (visited.has(hostDir)) continue;
    visited.add(hostDir);
    let entries;
    try {
      entries = await readdir(hostDir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const path = `${dir}/${entry.name}`;
      const hostPath = entry.isSymbolicLink() ? await resolveInRoot(root, path) : `${hostDir}/${entry.name}`;
      let info;
      try {
        info = await stat(hostPath);
      } catch {
        continue; // dangling symlink
      }
      if (info.isDirectory()) {
        queue.push(path);
        continue;
      }
      if (!info.isFile() || ((info.mode & 0o111) === 0 && !entry.name.endsWith('.so'))) continue;
      const read = await readElfFile(hostPath);
      if (read.kind !== 'elf' || (read.elf.type !== 'EXEC' && read.elf.type !== 'DYN')) continue;
      const found = identityOf(read.elf);
      if (!sameIdentity(found, want)) foreign.push({ path, found: describeIdentity(found) });
    }
  }
  return foreign.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * "kpkg: 3 program(s) in the headers are not arm64 binaries:" and one line per program, at most
 * `max`. On an x86-64 host an x86-64 fixdep is not emulated but run natively, and fails for want
 * of its dynamic loader in the target rootfs: the shell says "not found", a board would say
 * "Exec format error"; this line names the real problem either way.
 */
export function foreignSummary(foreign: readonly ForeignBinary[], debianArch: string, max: number): string {
  const lines = foreign.slice(0, max).map((f) => `  ${f.path}: ${f.found}`);
  if (foreign.length > max) lines.push(`  ... and ${foreign.length - max} more`);
  return [`kpkg: ${foreign.length} program(s) in the headers are not ${debianArch} binaries:`, ...lines].join('\n');
}
