import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tarInstaller } from '../install/tar.js';
import type { EnsureRootfsOptions, RootfsSpec } from '../rootfs.js';
import type { SmokeRootfsInput } from '../smoke-rootfs-spec.js';
import type { SmokeTarget } from '../target.js';
import { binfmtStepWith, requestedPackages, rootfsStepWith, type RootfsMaker } from './rootfs.js';
import type { SmokeInput, StepContext } from './step.js';

const INPUT: SmokeInput = {
  debianArch: 'arm64',
  packages: ['/in/headers.tar.zst'],
  installer: tarInstaller,
  release: '6.1.0-kpkg',
  cacheDir: '/cache/rootfs',
  extraPackages: ['libssl-dev'],
  dkms: [{ package: 'vpoll-dkms', version: '0.1-2' }, { package: 'v4l2loopback-dkms' }],
  refreshRootfs: true,
  workDir: '/work/tmpfs',
};

test('the rootfs has the extra packages, and dkms with the DKMS packages when asked', () => {
  assert.deepEqual(requestedPackages(INPUT), ['libssl-dev', 'dkms', 'vpoll-dkms=0.1-2', 'v4l2loopback-dkms']);
  assert.deepEqual(requestedPackages({ ...INPUT, dkms: [] }), ['libssl-dev']);
  assert.deepEqual(requestedPackages({ ...INPUT, extraPackages: undefined, dkms: undefined }), []);
  // busybox-static is in every rootfs: a boot run reuses the rootfs of a build-only run of the same packages.
  assert.deepEqual(requestedPackages({ ...INPUT, boot: true }), requestedPackages(INPUT));
});

test('the rootfs step makes the spec from the input, unpacks the tarball in workDir and enters it', async () => {
  const asked: { spec?: SmokeRootfsInput; ensure?: EnsureRootfsOptions; unpack?: [string, string | undefined] } = {};
  const spec: RootfsSpec = {
    debianArch: 'arm64',
    suite: 'bookworm',
    packages: [],
    mirror: 'http://mirror',
    cacheDir: INPUT.cacheDir,
  };
  const maker: RootfsMaker = {
    spec: (input) => {
      asked.spec = input;
      return Promise.resolve(spec);
    },
    ensureTarball: (got, options) => {
      assert.equal(got, spec);
      asked.ensure = options;
      return Promise.resolve({ path: '/cache/rootfs/bookworm-arm64-abc.tar.zst', built: false, seconds: 0 });
    },
  };
  const log: string[] = [];
  const onLine = (): void => undefined;
  const target: SmokeTarget = {
    root: '/work/tmpfs/kpkg-rootfs-1',
    run: () => assert.fail('the rootfs step runs nothing'),
    put: () => assert.fail('the rootfs step copies nothing in'),
  };
  const entered: string[] = [];
  const context: StepContext = {
    input: INPUT,
    facts: {},
    note: (...lines) => log.push(...lines),
    onLine,
    unpackRootfs: (tarball, parent) => {
      asked.unpack = [tarball, parent];
      return Promise.resolve({ dir: '/work/tmpfs/kpkg-rootfs-1', remove: () => Promise.resolve() });
    },
    enterRootfs: (root) => {
      entered.push(root);
      return target;
    },
  };
  const outcome = await rootfsStepWith(maker).run(context);
  assert.equal(asked.spec?.installer, tarInstaller);
  assert.deepEqual(asked.spec?.extraPackages, ['libssl-dev', 'dkms', 'vpoll-dkms=0.1-2', 'v4l2loopback-dkms']);
  assert.deepEqual(asked.ensure, { refresh: true, onLine });
  assert.deepEqual(asked.unpack, ['/cache/rootfs/bookworm-arm64-abc.tar.zst', '/work/tmpfs']);
  assert.deepEqual(log, ['reused /cache/rootfs/bookworm-arm64-abc.tar.zst']);
  assert.deepEqual(entered, ['/work/tmpfs/kpkg-rootfs-1']);
  assert.equal(outcome.ok, true);
  assert.equal(outcome.facts?.target, target);
  assert.equal(outcome.facts?.rootfs?.dir, '/work/tmpfs/kpkg-rootfs-1');
});

test("the binfmt step registers qemu-user for the input's architecture", async () => {
  const registered: string[] = [];
  const register = (debianArch: string): Promise<void> => {
    registered.push(debianArch);
    return Promise.resolve();
  };
  const context: StepContext = {
    input: { ...INPUT, debianArch: 'riscv64' },
    facts: {},
    note: () => undefined,
    onLine: undefined,
    unpackRootfs: () => assert.fail('binfmt unpacks no rootfs'),
    enterRootfs: () => assert.fail('binfmt enters no rootfs'),
  };
  assert.deepEqual(await binfmtStepWith(register).run(context), { ok: true });
  assert.deepEqual(registered, ['riscv64']);
});
