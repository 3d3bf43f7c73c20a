import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readTreeFacts } from '../inspect.js';
import { builtKernelTree, inTier, KERNEL_BUILD_TIMEOUT_MS, type TreeSpec } from '../../testing/kernel-trees.js';
import { installUapiHeaders } from './uapi-headers.js';
import { installUapiHeadersNatively } from './uapi-native.js';
import { sameStagedTrees, stagedDigests } from '../../testing/staged-digests.js';

const SPECS: TreeSpec[] = [
  { series: '6.1', config: 'tiny' },
  { series: '6.12', config: 'full' },
  { series: '6.12', arch: 'ppc64el' },
];

for (const spec of SPECS.filter(inTier)) {
  describe(
    `kpkg's headers_install on the ${spec.series} ${spec.arch ?? 'arm64'} tree`,
    { timeout: KERNEL_BUILD_TIMEOUT_MS },
    () => {
      test("writes the same files, byte for byte and with the same modes, as the kernel's make headers_install", async () => {
        const objtree = await builtKernelTree(spec);
        const facts = await readTreeFacts({ buildDir: objtree, vars: {} });
        const ctx = { tree: facts.tree, toolchain: facts.toolchain, vars: {} };
        const work = await mkdtemp(join(tmpdir(), 'kpkg-uapi-native-'));
        try {
          const native = await installUapiHeadersNatively(ctx, join(work, 'native'), {
            scratchObjtree: join(work, 'obj-native'),
            jobs: 2,
          });
          assert.ok(
            native !== undefined,
            `kpkg does not recognise the headers_install scripts of ${facts.tree.release}`,
          );
          await installUapiHeaders(ctx, join(work, 'make'), {
            scratchObjtree: join(work, 'obj-make'),
            jobs: 2,
            native: false,
          });
          const [ours, theirs] = await Promise.all([
            stagedDigests(join(work, 'native')),
            stagedDigests(join(work, 'make')),
          ]);
          assert.ok(theirs.size > 500, `make installed only ${theirs.size} entries`);
          sameStagedTrees(ours, theirs, assert.deepEqual);
        } finally {
          await rm(work, { recursive: true, force: true });
        }
      });
    },
  );
}
