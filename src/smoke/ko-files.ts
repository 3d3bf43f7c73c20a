import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The kernel modules (.ko) below a directory of the host, sorted. */
export async function findKoFiles(hostDir: string): Promise<string[]> {
  const entries = await readdir(hostDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ko'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
