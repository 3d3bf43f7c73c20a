import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { ARCHES, BOOT_KCONFIG } from '../../arch/arch-table.js';
import { stepContext, type RecordedStepContext } from '../../testing/smoke-steps.js';
import { KpkgError } from '../../util/errors.js';
import { tarInstaller } from '../install/tar.js';
import { bootConfigStep, bootMachine, bootStep } from './boot.js';
import type { SmokeInput } from './step.js';

const RELEASE = '6.1.0-kpkg';
const KERNEL = `/boot/vmlinuz-${RELEASE}`;
const BUILD_TREE = `/usr/src/linux-headers-${RELEASE}`;
const CONSOLE = ['SERIAL_AMBA_PL011', 'SERIAL_AMBA_PL011_CONSOLE'];
let work = '';
let root = '';

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-boot-step-'));
  root = join(work, 'root');
  await mkdir(root);
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function put(pathInRoot: string, content: string): Promise<void> {
  const path = join(root, pathInRoot);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

function contextFor(input: Partial<SmokeInput> = {}): RecordedStepContext {
  return stepContext(
    root,
    {
      debianArch: 'arm64',
      packages: [],
      installer: tarInstaller,
      release: RELEASE,
      cacheDir: work,
      boot: true,
      ...input,
    },
    () => assert.fail('boot config runs nothing in the rootfs'),
    { buildTree: BUILD_TREE },
  );
}

const config = (options: readonly string[]): string =>
  `# Linux/arm64 6.1.0 Kernel Configuration\n${options.map((o) => `CONFIG_${o}=y\n`).join('')}`;

test('bootMachine: arm64 boots on qemu-system-aarch64', () => {
  const { arch, machine } = bootMachine('arm64');
  assert.equal(arch.debian, 'arm64');
  assert.equal(machine.binary, 'qemu-system-aarch64');
  assert.equal(bootMachine('armhf').machine.binary, 'qemu-system-arm');
});

test('bootMachine: an architecture without a machine, or unknown, is a KpkgError naming known ones', () => {
  const without = ARCHES.filter((a) => a.qemuSystem === undefined && a.debian !== 'all').map((a) => a.debian);
  assert.ok(without.includes('armel') && without.includes('mips64el'), without.join(' '));
  for (const debianArch of [...without, 'vax']) {
    assert.throws(
      () => bootMachine(debianArch),
      (error: unknown) => {
        assert.ok(error instanceof KpkgError);
        assert.equal(error.message, `kpkg smoke --boot knows no qemu-system machine for ${debianArch}`);
        assert.equal(
          error.hint,
          `leave out --boot for ${debianArch} (known machines: src/arch/arch-table.ts, e.g. arm64, armhf)`,
        );
        return true;
      },
    );
  }
});

test('the boot steps run only with --boot', () => {
  const base = { debianArch: 'arm64', packages: [], installer: tarInstaller, release: RELEASE, cacheDir: work };
  for (const step of [bootConfigStep, bootStep]) {
    assert.equal(step.wanted?.({ ...base, boot: true }), true);
    assert.equal(step.wanted?.(base), false);
    assert.equal(step.wanted?.({ ...base, boot: false }), false);
  }
});

test('without the kernel file the step fails naming the path and the image package', async () => {
  await put(`${BUILD_TREE}/.config`, config([...BOOT_KCONFIG, ...CONSOLE]));
  const outcome = await bootConfigStep.run(contextFor().context);
  assert.deepEqual(outcome, {
    ok: false,
    logTail: `kpkg: the packages installed no kernel at ${KERNEL}: --boot needs the image package of ${RELEASE} in the set, beside the headers`,
  });
});

test('without a .config the step fails saying so', async () => {
  await put(KERNEL, 'kernel');
  assert.deepEqual(await bootConfigStep.run(contextFor().context), {
    ok: false,
    logTail: `kpkg: the headers installed no ${BUILD_TREE}/.config: cannot tell whether the kernel boots`,
  });
});

test('a .config without the console driver is refused with the options and the fragment', async () => {
  await put(KERNEL, 'kernel');
  await put(`${BUILD_TREE}/.config`, `${config(BOOT_KCONFIG)}CONFIG_SERIAL_AMBA_PL011=m\n`);
  const { context, log } = contextFor();
  const outcome = await bootConfigStep.run(context);
  assert.deepEqual(outcome, {
    ok: false,
    logTail:
      'kpkg: the kernel cannot boot on qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on (console ttyAMA0): ' +
      `${BUILD_TREE}/.config lacks CONFIG_SERIAL_AMBA_PL011=y CONFIG_SERIAL_AMBA_PL011_CONSOLE=y; ` +
      "add them to the arm64 tree's .config (e.g. scripts/config -e SERIAL_AMBA_PL011 -e SERIAL_AMBA_PL011_CONSOLE && make olddefconfig), rebuild and package again\n" +
      'CONFIG_SERIAL_AMBA_PL011=y\nCONFIG_SERIAL_AMBA_PL011_CONSOLE=y\n',
  });
  assert.deepEqual(log, []);
});

test('a complete .config passes with the kernel for the boot, unloading with MODULE_UNLOAD', async () => {
  await put(KERNEL, 'kernel');
  await put(`${BUILD_TREE}/.config`, config([...BOOT_KCONFIG, ...CONSOLE, 'MODULES', 'MODULE_UNLOAD']));
  const { context, log } = contextFor();
  assert.deepEqual(await bootConfigStep.run(context), {
    ok: true,
    facts: { bootKernel: { path: KERNEL, host: join(root, KERNEL), unload: true } },
  });
  assert.deepEqual(log, [`${KERNEL} boots on qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on (console ttyAMA0)`]);
});

test('without MODULE_UNLOAD nothing is to be unloaded; the kernel is found through a symlink in the rootfs', async () => {
  await put(`/boot/Image-${RELEASE}`, 'kernel');
  await symlink(`/boot/Image-${RELEASE}`, join(root, KERNEL));
  await put(
    `${BUILD_TREE}/.config`,
    `${config([...BOOT_KCONFIG, ...CONSOLE, 'MODULES'])}# CONFIG_MODULE_UNLOAD is not set\n`,
  );
  assert.deepEqual(await bootConfigStep.run(contextFor().context), {
    ok: true,
    facts: { bootKernel: { path: KERNEL, host: join(root, `boot/Image-${RELEASE}`), unload: false } },
  });
});

test('an architecture without a machine is refused before anything is read', async () => {
  await assert.rejects(bootConfigStep.run(contextFor({ debianArch: 'armel' }).context), KpkgError);
});
