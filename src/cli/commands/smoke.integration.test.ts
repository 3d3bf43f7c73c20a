/**
 * kpkg smoke --boot on kpkg's own RPM, pacman and tarball packages of the real 6.1 arm64 tree, the way
 * src/smoke/boot.integration.test.ts proves the .debs: the image and headers packages installed in the
 * emulated arm64 Debian with the rootfs's own rpm, pacman or tar, kpkg_hello built against
 * /lib/modules/<release>/build there, then the kernel file the family's image package installed booted
 * on qemu-system-aarch64 and the module loaded into it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { builtKernelTree, caseInTier, KERNEL_BUILD_TIMEOUT_MS, type TreeSpec } from '../../testing/kernel-trees.js';
import type { BootReport } from '../../smoke/boot/report.js';
import { runKpkg } from '../../testing/run-kpkg.js';

interface WrittenJson {
  release: string;
  packages: { kind: string; path: string }[];
}

interface SmokeJson {
  ok: boolean;
  release: string;
  arch: string;
  installer: string;
  buildTree: string;
  vermagic: string;
  failedStep?: string;
  logTail?: string;
  timings: { step: string; seconds: number }[];
  boot?: BootReport;
}

type Format = 'rpm' | 'pacman' | 'tar';

/**
 * The image and headers packages each format's command writes (the kinds: the headers one first), where
 * the headers tree lands on the target and where the image puts the kernel.
 */
const CASES: readonly {
  format: Format;
  only?: string;
  kinds: readonly string[];
  tree: (release: string) => string;
  kernel: (release: string) => string;
}[] = [
  {
    format: 'rpm',
    only: 'devel,kernel',
    kinds: ['devel', 'kernel'],
    tree: (r) => `/usr/src/kernels/${r}`,
    kernel: (r) => `/lib/modules/${r}/vmlinuz`,
  },
  {
    format: 'pacman',
    only: 'headers,kernel',
    kinds: ['headers', 'kernel'],
    tree: (r) => `/usr/lib/modules/${r}/build`,
    kernel: (r) => `/usr/lib/modules/${r}/vmlinuz`,
  },
  {
    format: 'tar',
    kinds: ['tarball'],
    tree: (r) => `/usr/lib/modules/${r}/build`,
    kernel: (r) => `/boot/vmlinuz-${r}`,
  },
];

/** Every format on the 6.1 tiny tree; RPM on the 6.12 full one (GCC plugins, BTF, module signing) in the whole tier. */
const TREES: readonly { spec: TreeSpec; formats: readonly Format[]; allTierOnly?: boolean }[] = [
  { spec: { series: '6.1', config: 'tiny' }, formats: ['rpm', 'pacman', 'tar'] },
  { spec: { series: '6.12', config: 'full' }, formats: ['rpm'], allTierOnly: true },
];

for (const { spec, formats } of TREES.filter(caseInTier))
  describe(
    `kpkg smoke on the ${formats.join(', ')} packages of the real ${spec.series} arm64 ${spec.config ?? 'tiny'} tree`,
    { timeout: KERNEL_BUILD_TIMEOUT_MS },
    () => {
      const dirs: string[] = [];
      after(async () => {
        for (const dir of dirs) await rm(dir, { recursive: true, force: true });
      });
      const packagesOf = async (
        format: Format,
        only: string | undefined,
        kinds: readonly string[],
      ): Promise<{ files: string[]; release: string }> => {
        const out = await mkdtemp(join(tmpdir(), `kpkg-smoke-${format}-`));
        dirs.push(out);
        const r = await runKpkg([
          format,
          '--build-dir',
          await builtKernelTree(spec),
          '--out',
          out,
          '--json',
          ...(only === undefined ? [] : ['--only', only]),
        ]);
        assert.equal(r.exitCode, 0, r.stderr);
        const json = JSON.parse(r.stdout) as WrittenJson;
        const files = kinds.map((kind) => json.packages.find((p) => p.kind === kind)?.path ?? '');
        assert.ok(!files.includes(''), JSON.stringify(json.packages));
        return { files, release: json.release };
      };
      const files = new Map<Format, string>();

      for (const { format, only, kinds, tree, kernel } of CASES.filter((c) => formats.includes(c.format))) {
        test(`${format}: installed with the rootfs's own ${format === 'tar' ? 'tar' : format}, an out-of-tree module builds against it and loads into the booted kernel`, async (t) => {
          const { files: set, release } = await packagesOf(format, only, kinds);
          files.set(format, set[0] ?? '');
          const started = performance.now();
          const r = await runKpkg(['smoke', '--boot', ...set, '--json']);
          t.diagnostic(`kpkg smoke ${format}: ${Math.round(performance.now() - started) / 1000} s`);
          assert.equal(r.exitCode, 0, r.stdout + r.stderr);
          const json = JSON.parse(r.stdout) as SmokeJson;
          t.diagnostic(`timings: ${JSON.stringify(json.timings)}; vermagic: ${json.vermagic}`);
          assert.equal(json.ok, true, `${json.failedStep ?? ''}: ${json.logTail ?? ''}`);
          assert.deepEqual([json.installer, json.release, json.arch], [format, release, 'arm64']);
          assert.equal(json.buildTree, tree(release));
          assert.ok(json.vermagic.startsWith(`${release} `), json.vermagic);
          assert.match(json.vermagic, /modversions aarch64/);
          assert.deepEqual(
            json.timings.map((x) => x.step),
            ['binfmt', 'rootfs', 'install', 'boot config', 'build module', 'modinfo', 'check binaries', 'boot'],
          );
          const boot = json.boot;
          assert.ok(boot !== undefined);
          t.diagnostic(`boot: /init after ${boot.secondsToInit ?? '?'} s, ${boot.seconds} s in all: ${boot.command}`);
          assert.equal(boot.ok, true, boot.failures.join('\n'));
          assert.equal(boot.kernelFile, kernel(release));
          assert.equal(boot.uname, release);
          const hello = boot.modules.find((m) => m.name === 'kpkg_hello');
          assert.deepEqual([hello?.origin, hello?.loaded, hello?.unloaded], ['built', true, true]);
          assert.ok(
            boot.modules.some((m) => m.origin === 'image' && m.loaded),
            JSON.stringify(boot.modules),
          );
        });
      }

      if (formats.includes('tar'))
        test('packages of two formats in one run: a one-line usage error, nothing runs', async () => {
          const rpm = files.get('rpm') ?? (await packagesOf('rpm', 'devel', ['devel'])).files[0] ?? '';
          const tar = files.get('tar') ?? (await packagesOf('tar', undefined, ['tarball'])).files[0] ?? '';
          const r = await runKpkg(['smoke', rpm, tar]);
          assert.equal(r.exitCode, 2, r.stderr);
          assert.match(
            r.stderr,
            /^kpkg: error: kpkg smoke installs packages of one format per run: kernel-devel-[^ ]+\.rpm is rpm, linux-[^ ]+\.tar\.gz is tar$/,
          );
          assert.ok(!r.stderr.includes('\n'), r.stderr);
          assert.equal(r.stdout, '');
        });
    },
  );
