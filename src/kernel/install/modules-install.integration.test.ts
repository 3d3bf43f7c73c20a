import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readTreeFacts } from '../inspect.js';
import { isEnabled } from '../kconfig.js';
import { builtKernelTree, inTier, KERNEL_BUILD_TIMEOUT_MS, type TreeSpec } from '../../testing/kernel-trees.js';
import { sameStagedTrees, stagedDigests } from '../../testing/staged-digests.js';
import { modulesInOrder } from './debug-info.js';
import { runKernelMake } from './kernel-make.js';
import { plannedFinish } from './module-finish.js';
import { installModules, moduleDirIn } from './modules-install.js';

const SPECS: TreeSpec[] = [
  { series: '6.1', config: 'tiny' },
  { series: '6.12', config: 'full' },
  { series: '6.1', config: 'full' },
];

/** What a signed module ends with (the kernel's include/linux/module_signature.h MODULE_SIG_STRING). */
const SIGNATURE_MARK = '~Module signature appended~\n';

for (const spec of SPECS.filter(inTier)) {
  describe(
    `modules stripped and signed one at a time on the ${spec.series} ${spec.config ?? 'tiny'} tree`,
    { timeout: KERNEL_BUILD_TIMEOUT_MS },
    () => {
      test("the same files, byte for byte, as the kernel's make modules_install INSTALL_MOD_STRIP=1", async () => {
        const objtree = await builtKernelTree(spec);
        const facts = await readTreeFacts({ buildDir: objtree, vars: {} });
        const ctx = { tree: facts.tree, toolchain: facts.toolchain, vars: {} };
        const finish = await plannedFinish(ctx, '1');
        assert.ok(finish !== undefined, 'kpkg finishes these modules itself');
        assert.equal(
          finish.sign !== undefined,
          isEnabled(facts.tree.config, 'MODULE_SIG_ALL'),
          'and signs them itself',
        );
        const work = await mkdtemp(join(tmpdir(), 'kpkg-modinst-'));
        try {
          await installModules(ctx, join(work, 'kpkg'), { strip: '1', jobs: 2 });
          const make = join(work, 'make');
          await runKernelMake(ctx, ['modules_install', `INSTALL_MOD_PATH=${make}`, 'INSTALL_MOD_STRIP=1'], { jobs: 2 });
          // installModules removes the links to the build machine's trees, as builddeb does.
          for (const link of ['build', 'source'])
            await rm(join(moduleDirIn(make, facts.tree.release), link), { force: true });
          const [ours, theirs] = await Promise.all([stagedDigests(join(work, 'kpkg')), stagedDigests(make)]);
          const modules = await modulesInOrder(objtree);
          assert.ok(modules.length >= 2, `${modules.length} modules`);
          sameStagedTrees(ours, theirs, assert.deepEqual);
          const first = await readFile(
            join(moduleDirIn(join(work, 'kpkg'), facts.tree.release), 'kernel', modules[0] ?? ''),
          );
          assert.equal(
            first.subarray(-SIGNATURE_MARK.length).toString('latin1') === SIGNATURE_MARK,
            isEnabled(facts.tree.config, 'MODULE_SIG_ALL'),
            'signed exactly when CONFIG_MODULE_SIG_ALL',
          );
        } finally {
          await rm(work, { recursive: true, force: true });
        }
      });
    },
  );
}
