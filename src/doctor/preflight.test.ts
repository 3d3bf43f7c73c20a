import assert from 'node:assert/strict';
import { test } from 'node:test';
import { archByDebian } from '../arch/arch-table.js';
import { packagingFeatures } from '../kernel/features.js';
import type { TreeFacts } from '../kernel/inspect.js';
import type { Toolchain } from '../kernel/toolchain.js';
import { arm64GccToolchain, fakeKernelTree } from '../testing/fake-tree.js';
import { assertReadyToRebuild, assertTargetToolsInstalled } from './preflight.js';

function facts(toolchain: Toolchain, config: Record<string, string> = {}): TreeFacts {
  const arch = archByDebian('arm64');
  assert.ok(arch !== undefined);
  return {
    tree: fakeKernelTree('/k/obj'),
    arch,
    target: arch.elf,
    vmlinux: 'absent',
    toolchain,
    cross: true,
    build: arch.elf,
    features: packagingFeatures(new Map(Object.entries(config))),
    artifacts: { moduleSymvers: true, vmlinux: false, bootImage: { path: 'arch/arm64/boot/Image.gz', present: true } },
  };
}

const missing = arm64GccToolchain();
const missingTools = {
  ...missing,
  tools: {
    ...missing.tools,
    cc: ['ccache', 'kpkg-none-gcc', '-O2'],
    ld: 'kpkg-none-ld',
    ar: 'kpkg-none-ar',
    objcopy: 'sh',
    strip: 'sh',
  },
};

test('missing target tools are named once each, with the packages that have them', async () => {
  await assert.rejects(assertTargetToolsInstalled(facts(missingTools)), {
    message:
      "the target's tools for CROSS_COMPILE=aarch64-linux-gnu- are not installed: kpkg-none-gcc, kpkg-none-ld, kpkg-none-ar",
    hint: 'install them (install the toolchain that provides kpkg-none-gcc, kpkg-none-ld, kpkg-none-ar, or pass the CROSS_COMPILE= / CC= of one that is installed), or pass the CROSS_COMPILE= / LLVM= the tree was built with',
  });
  const present = {
    ...missing,
    tools: { ...missing.tools, cc: ['sh'], ld: 'sh', ar: 'sh', objcopy: 'sh', strip: 'sh' },
  };
  await assertTargetToolsInstalled(facts(present));
});

test('a tree whose host programs cannot be rebuilt fails before the rebuild, listing what doctor found', async () => {
  const noCompiler = { ...missing, tools: { ...missing.tools, cc: ['kpkg-none-gcc'] } };
  const args = { buildDir: 'linux build', vars: { CROSS_COMPILE: 'aarch64-linux-gnu-' }, sysroot: '/srv/arm64' };
  await assert.rejects(
    assertReadyToRebuild(facts(noCompiler), { root: '/srv/arm64', source: 'option' }, args),
    (e: Error & { hint?: string }) => {
      assert.match(e.message, /^this machine cannot rebuild the host programs of 6\.1\.0 for arm64:\n/);
      assert.match(e.message, /✖ C compiler for arm64 \(kpkg-none-gcc\)\n {4}kpkg-none-gcc is not on PATH\n/);
      assert.equal(
        e.hint,
        "install the missing pieces above; `kpkg doctor --build-dir 'linux build' --sysroot /srv/arm64 CROSS_COMPILE=aarch64-linux-gnu-` checks again",
      );
      return true;
    },
  );
});

test("kpkg's own sysroot is never offered as an option: the doctor command repeats only what the user gave", async () => {
  // A "compiler" that links everything but libcrypto.
  const noLibcrypto = ['sh', '-c', 'case "$*" in *-lcrypto*) echo "ld: cannot find -lcrypto" >&2; exit 1;; esac', 'cc'];
  const toolchain = { ...missing, tools: { ...missing.tools, cc: noLibcrypto, cxx: noLibcrypto } };
  const signing = facts(toolchain, { CONFIG_MODULES: 'y', CONFIG_MODULE_SIG: 'y' });
  const fetched = '/root/.cache/kpkg/sysroots/bookworm-arm64-0123';
  await assert.rejects(
    assertReadyToRebuild(signing, { root: fetched, source: 'fetched' }, { buildDir: '.', vars: {} }),
    (e: Error & { hint?: string }) => {
      assert.match(
        e.message,
        /✖ libcrypto for arm64 .*\n {4}ld: cannot find -lcrypto\n {4}fix \(Debian\/Ubuntu\): kpkg sysroot --arch arm64 --refresh$/,
      );
      assert.doesNotMatch(`${e.message}\n${e.hint ?? ''}`, /--sysroot|leave out/);
      assert.equal(e.hint, 'install the missing pieces above; `kpkg doctor --build-dir .` checks again');
      return true;
    },
  );
});
