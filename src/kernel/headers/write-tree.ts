import { copyFile, mkdir, rename, rm, symlink, chmod } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { KpkgError } from '../../util/errors.js';
import { lstatOrUndefined } from '../../util/fs.js';
import { IO_PARALLELISM, mapLimit } from '../../util/pool.js';
import type { HeadersEntry } from './manifest.js';

/**
 * Writes a staged headers tree to `dest` (which must not exist yet): into a temporary sibling first,
 * renamed into place when complete, so a failure leaves no half-written tree at `dest`. (kpkg
 * headers writes it into its --out staging directory: src/pipeline/output-set.ts.)
 */
export async function writeTree(entries: readonly HeadersEntry[], dest: string): Promise<void> {
  if ((await lstatOrUndefined(dest)) !== undefined) {
    throw new KpkgError(`${dest} already exists`, { where: dest, hint: 'remove it or choose another --out directory' });
  }
  const partial = join(dirname(dest), `.${dest.slice(dirname(dest).length + 1)}.partial-${process.pid}`);
  await rm(partial, { recursive: true, force: true });
  try {
    const dirs = new Set(entries.map((e) => dirname(join(partial, e.path))));
    for (const dir of [...dirs].sort()) await mkdir(dir, { recursive: true });
    await mapLimit(entries, IO_PARALLELISM, async (e) => {
      const to = join(partial, e.path);
      if (e.kind === 'symlink') {
        await symlink(e.linkTarget ?? '', to);
      } else {
        await copyFile(e.source, to);
        await chmod(to, (e.mode & 0o111) !== 0 ? 0o755 : 0o644);
      }
    });
    await rename(partial, dest);
  } catch (e) {
    await rm(partial, { recursive: true, force: true });
    throw e;
  }
}
