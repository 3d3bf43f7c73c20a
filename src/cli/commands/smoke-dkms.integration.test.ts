/**
 * `kpkg smoke --dkms` with real DKMS packages from Debian, on the 6.1 arm64 tree
 * configured for them (tools/kernel-tree --config dkms: tinyconfig, modules, block layer, device
 * mapper): vpoll-dkms (a character device) and dm-writeboost-dkms (a device-mapper target) are
 * installed in the emulated arm64 Debian with dkms, then the image package, then the headers:
 * - kpkg's headers package runs the header_postinst.d hooks on configure, as Debian's do, so dkms's
 *   hook builds both modules as the headers arrive; they carry the release's vermagic, and both load
 *   into the packaged kernel booted on qemu-system-aarch64 (`--boot`);
 * - against upstream's `make bindeb-pkg` headers package of the same tree: both fail, with the
 *   x86-64 fixdep the shell cannot run on the target — so a broken dkms set-up cannot pass for it.
 * A tree of its own, so `tools/test --all` only.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import type { BootReport } from '../../smoke/boot/report.js';
import type { DkmsResult } from '../../smoke/dkms.js';
import {
  builtKernelTree,
  inTier,
  KERNEL_BUILD_TIMEOUT_MS,
  REPO_ROOT,
  type TreeSpec,
} from '../../testing/kernel-trees.js';
import { runKpkg } from '../../testing/run-kpkg.js';

const SPEC: TreeSpec = { series: '6.1', config: 'dkms' };
const DKMS = ['vpoll-dkms', 'dm-writeboost-dkms'];

interface SmokeJson {
  ok: boolean;
  release: string;
  failedStep?: string;
  logTail?: string;
  dkms?: DkmsResult[];
  boot?: BootReport;
}

if (inTier(SPEC)) {
  describe(
    'kpkg smoke --dkms: real DKMS packages on the emulated arm64 target (6.1 arm64 dkms tree)',
    { timeout: KERNEL_BUILD_TIMEOUT_MS + 60 * 60 * 1000 },
    () => {
      let work = '';
      let ours = '';
      let image = '';
      let upstream = '';
      let release = '';

      before(
        async () => {
          const tree = await builtKernelTree(SPEC);
          work = await mkdtemp(join(tmpdir(), 'kpkg-dkms-'));
          const r = await runKpkg(['deb', '--build-dir', tree, '--out', work, '--only', 'image,headers', '--json']);
          assert.equal(r.exitCode, 0, r.stderr);
          const written = JSON.parse(r.stdout) as { release: string; packages: { kind: string; path: string }[] };
          release = written.release;
          ours = written.packages.find((p) => p.kind === 'headers')?.path ?? '';
          image = written.packages.find((p) => p.kind === 'image')?.path ?? '';
          const up = await execa(`${REPO_ROOT}tools/upstream-debs`, ['--series', SPEC.series, '--config', 'dkms'], {
            stderr: 'pipe',
          });
          const dir = up.stdout.trim().split('\n').pop() ?? '';
          upstream = join(
            dir,
            (await readdir(dir)).find((f) => f.startsWith(`linux-headers-${release}_`) && f.endsWith('.deb')) ?? '',
          );
        },
        { timeout: KERNEL_BUILD_TIMEOUT_MS },
      );
      after(() => rm(work, { recursive: true, force: true }));

      // libc6 for both: kpkg's headers depend on it, upstream's do not; the same rootfs serves both runs.
      const smoke = async (
        ...packages: string[]
      ): Promise<{ exitCode: number | undefined; result: SmokeJson; stderr: string }> => {
        const boot = packages.length > 1 ? ['--boot'] : [];
        const r = await runKpkg([
          'smoke',
          ...boot,
          ...packages,
          '--dkms',
          DKMS.join(','),
          '--package',
          'libc6',
          '--json',
        ]);
        return { exitCode: r.exitCode, result: JSON.parse(r.stdout) as SmokeJson, stderr: r.stderr };
      };

      test("kpkg's headers after the image: dkms's hook builds every DKMS module as they arrive, and each loads into the booted kernel", async () => {
        const { exitCode, result, stderr } = await smoke(image, ours);
        assert.equal(exitCode, 0, `${result.logTail ?? ''}\n${stderr}`);
        assert.deepEqual(
          result.dkms?.map((d) => [d.package, d.ok, d.builtBy]),
          DKMS.map((p) => [p, true, 'hook']),
        );
        for (const d of result.dkms ?? [])
          assert.ok(d.vermagic?.startsWith(`${release} `), `${d.package}: vermagic ${d.vermagic ?? ''}`);
        const built = result.boot?.modules.filter((m) => m.origin === 'built') ?? [];
        for (const name of ['vpoll', 'dm_writeboost', 'kpkg_hello'])
          assert.equal(built.find((m) => m.name === name)?.loaded, true, `${name}: ${JSON.stringify(result.boot)}`);
      });

      test("against upstream's bindeb-pkg headers every DKMS package fails on the x86-64 fixdep", async () => {
        const { exitCode, result } = await smoke(upstream);
        assert.equal(exitCode, 1);
        assert.equal(result.failedStep, 'dkms');
        assert.deepEqual(
          result.dkms?.map((d) => [d.package, d.ok]),
          DKMS.map((p) => [p, false]),
        );
        for (const d of result.dkms ?? [])
          assert.match(
            d.logTail ?? '',
            /scripts\/basic\/fixdep: (not found|cannot execute|Exec format error)/,
            d.package,
          );
        assert.match(
          result.logTail ?? '',
          /\/scripts\/basic\/fixdep: x86-64/,
          'the summary names the foreign programs',
        );
      });
    },
  );
}
