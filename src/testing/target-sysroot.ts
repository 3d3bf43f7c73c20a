import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { kpkgCacheDir } from '../util/cache.js';
import { isDirectory } from '../util/fs.js';

/**
 * A target root made of Debian packages unpacked (not installed) — what `--sysroot` takes when the
 * target's -dev packages cannot be installed beside the build machine's (Multi-Arch: same needs the
 * very same version of every architecture, which a half-synced mirror may not offer). Cached under
 * <kpkg cache>/sysroots. Needs the architecture known to apt (`dpkg --add-architecture`).
 */
export async function targetSysroot(debianArch: string, packages: readonly string[]): Promise<string> {
  const key = createHash('sha256').update([debianArch, ...packages].join('\n')).digest('hex').slice(0, 12);
  const dir = join(kpkgCacheDir(), 'sysroots', `${debianArch}-${key}`);
  if (await isDirectory(dir)) return dir;
  await mkdir(join(kpkgCacheDir(), 'sysroots'), { recursive: true });
  const tmp = await mkdtemp(join(kpkgCacheDir(), 'sysroots', '.tmp-'));
  try {
    // apt's _apt user must be able to write the download directory.
    await execa('chmod', ['755', tmp]);
    const r = await execa('apt-get', ['download', ...packages.map((p) => `${p}:${debianArch}`)], { cwd: tmp, reject: false, all: true });
    if (r.exitCode !== 0) throw new Error(`apt-get download for the ${debianArch} sysroot failed (is ${debianArch} added with dpkg --add-architecture? run tools/install-deps):\n${r.all ?? ''}`);
    const root = join(tmp, 'root');
    for (const deb of (await readdir(tmp)).filter((f) => f.endsWith('.deb'))) await execa('dpkg-deb', ['-x', join(tmp, deb), root]);
    await rename(root, dir);
    return dir;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
