import { join } from 'node:path';
import { kpkgCacheDir } from '../util/cache.js';

export { kpkgCacheDir };

/** Default SmokeOptions.cacheDir: <kpkg cache>/rootfs. */
export function rootfsCacheDir(): string {
  return join(kpkgCacheDir(), 'rootfs');
}
