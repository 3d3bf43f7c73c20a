import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A private temporary directory for what kernel install targets write; dispose() removes it. */
export interface ScratchDir {
  path: string;
  dispose: () => Promise<void>;
}

export async function createScratchDir(prefix: string): Promise<ScratchDir> {
  const path = await mkdtemp(join(tmpdir(), `kpkg-${prefix}-`));
  return { path, dispose: () => rm(path, { recursive: true, force: true }) };
}
