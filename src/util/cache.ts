import { homedir } from 'node:os';
import { join } from 'node:path';

/** kpkg's cache: KPKG_CACHE_DIR, else $XDG_CACHE_HOME/kpkg, else ~/.cache/kpkg (tools/kernel-tree uses the same). */
export function kpkgCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KPKG_CACHE_DIR !== undefined && env.KPKG_CACHE_DIR !== '') return env.KPKG_CACHE_DIR;
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'kpkg');
}
