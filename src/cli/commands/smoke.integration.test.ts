/**
 * kpkg smoke on kpkg's own RPM, pacman and tarball packages of the real 6.1 arm64 tree, the way
 * deb.integration.test.ts proves the .deb: each installed in the emulated arm64 Debian with the rootfs's own
 * rpm, pacman or tar, then kpkg_hello built against /lib/modules/<release>/build there.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { builtKernelTree, inTier, KERNEL_BUILD_TIMEOUT_MS, type TreeSpec } from '../../testing/kernel-trees.js';
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
}

type Format = 'rpm' | 'pacman' | 'tar';

/** The headers package each format's command writes, and where its tree lands on the target. */
const CASES: readonly { format: Format; only?: string; kind: string; tree: (release: string) => string }[] = [
  { format: 'rpm', only: 'devel', kind: 'devel', tree: (r) => `/usr/src/kernels/${r}` },
  { format: 'pacman', only: 'headers', kind: 'headers', tree: (r) => `/usr/lib/modules/${r}/build` },
  { format: 'tar', kind: 'tarball', tree: (r) => `/usr/lib/modules/${r}/build` },
];

/** Every format on the 6.1 tiny tree; RPM on the 6.12 full one (GCC plugins, BTF, module signing). */
const TREES: readonly { spec: TreeSpec; formats: readonly Format[] }[] = [
  { spec: { series: '6.1', config: 'tiny' }, formats: ['rpm', 'pacman', 'tar'] },
  { spec: { series: '6.12', config: 'full' }, formats: ['rpm'] },
];

for (const { spec, formats } of TREES.filter((t) => inTier(t.spec)))
  describe(
    `kpkg smoke on the ${formats.join(', ')} packages of the real ${spec.series} arm64 ${spec.config ?? 'tiny'} tree`,
    { timeout: KERNEL_BUILD_TIMEOUT_MS },
    () => {
      const dirs: string[] = [];
      after(async () => {
        for (const dir of dirs) await rm(dir, { recursive: true, force: true });
      });
      const headersOf = async (
        format: Format,
        only: string | undefined,
        kind: string,
      ): Promise<{ file: string; release: string }> => {
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
        const file = json.packages.find((p) => p.kind === kind)?.path;
        assert.ok(file !== undefined, JSON.stringify(json.packages));
        return { file, release: json.release };
      };
      const files = new Map<Format, string>();

      for (const { format, only, kind, tree } of CASES.filter((c) => formats.includes(c.format))) {
        test(`${format}: installed with the rootfs's own ${format === 'tar' ? 'tar' : format}, an out-of-tree module builds against it`, async (t) => {
          const { file, release } = await headersOf(format, only, kind);
          files.set(format, file);
          const started = performance.now();
          const r = await runKpkg(['smoke', file, '--json']);
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
            ['binfmt', 'rootfs', 'install', 'build module', 'modinfo', 'check binaries'],
          );
        });
      }

      if (formats.includes('tar'))
        test('packages of two formats in one run: a one-line usage error, nothing runs', async () => {
          const rpm = files.get('rpm') ?? (await headersOf('rpm', 'devel', 'devel')).file;
          const tar = files.get('tar') ?? (await headersOf('tar', undefined, 'tarball')).file;
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
