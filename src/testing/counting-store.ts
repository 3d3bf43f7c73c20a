/**
 * Test helper (not used by kpkg itself): kpkg's build cache as the pipeline hands it to the writers
 * for compressed members (pipeline/build-packages.ts), counting the entries it had to make.
 */
import type { MemberStore } from '../archive/compressed-member.js';
import type { BuildCache } from '../cache/build-cache.js';

export function countingStore(cache: BuildCache): MemberStore & { made: number } {
  const store = {
    made: 0,
    async member<Meta>(key: string, make: (dir: string) => Promise<Meta>): Promise<{ dir: string; meta: Meta }> {
      return cache.entry('members', key, (dir) => {
        store.made++;
        return make(dir);
      });
    },
  };
  return store;
}
