import { open, readdir, stat } from 'node:fs/promises';
import { debianArchInfo } from './debian-arch.js';
import { armFloatAbi, describeElf, ELF_IDENT_SIZE, readElfIdent } from './elf-ident.js';
import { resolveInRoot } from './path-in-root.js';

/** An executable or shared object that cannot run on the target. */
export interface ForeignBinary {
  /** Path inside the rootfs, as reached from the scanned directory. */
  readonly path: string;
  /** e.g. "x86-64, 64-bit LSB". */
  readonly found: string;
}

async function readHeader(hostPath: string): Promise<Uint8Array> {
  const file = await open(hostPath, 'r');
  try {
    const buffer = new Uint8Array(ELF_IDENT_SIZE);
    const { bytesRead } = await file.read(buffer, 0, ELF_IDENT_SIZE, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/**
 * Walks `dirInRoot` (following symlinks the way the target would, e.g. Debian's
 * /lib/modules/<release>/build → /usr/src/linux-headers-... → ../linux-kbuild-6.1/scripts) and
 * lists the ELF executables and shared objects that are not for `debianArch`. This catches what
 * emulation cannot: on an x86-64 host, a static x86-64 fixdep would run natively in the chroot
 * and the smoke build would pass although the board could never run it. Only files with an
 * execute bit or a .so name are read.
 */
export async function findForeignBinaries(root: string, dirInRoot: string, debianArch: string): Promise<ForeignBinary[]> {
  const want = debianArchInfo(debianArch);
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
      const ident = readElfIdent(await readHeader(hostPath));
      if (ident === undefined || (ident.type !== 2 && ident.type !== 3)) continue;
      const float = armFloatAbi(ident);
      const wrongFloat = want.armFloat !== undefined && float !== undefined && float !== want.armFloat;
      if (ident.machine !== want.elfMachine || ident.bits !== want.elfBits || ident.littleEndian !== want.littleEndian || wrongFloat) {
        foreign.push({ path, found: describeElf(ident) });
      }
    }
  }
  return foreign.sort((a, b) => a.path.localeCompare(b.path));
}
