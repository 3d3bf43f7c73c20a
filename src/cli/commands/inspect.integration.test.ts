import assert from 'node:assert/strict';
import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { execa } from 'execa';
import { builtKernelTree, inTier, KERNEL_BUILD_TIMEOUT_MS, type TreeSpec } from '../../testing/kernel-trees.js';
import { runKpkg, runKpkgJson } from '../../testing/run-kpkg.js';

interface InspectJson {
  release: string;
  version: string;
  arch: string;
  srcarch: string;
  debianArch: string;
  srctree: string;
  separateObjtree: boolean;
  target: { machine: number; machineName: string; class: number; endian: string; vmlinux: string };
  compiler: { kind: string; versionText: string; cc: string; crossPrefix: string; ccCanLink: boolean; hostcc: string };
  cross: boolean;
  features: Record<string, unknown>;
  artifacts: { moduleSymvers: boolean; vmlinux: boolean; bootImage: string | null };
}

/** What the tree really says, read independently of kpkg: grep the .config, ask make and file. */
async function enabledInDotConfig(objtree: string, symbol: string): Promise<boolean> {
  return new RegExp(`^CONFIG_${symbol}=[ym]$`, 'm').test(await readFile(join(objtree, '.config'), 'utf8'));
}

const TREES: TreeSpec[] = [
  { series: '6.1', config: 'tiny' },
  { series: '6.12', config: 'tiny' },
  { series: '6.1', config: 'full' },
  { series: '6.12', config: 'full' },
];

for (const spec of TREES.filter(inTier)) {
  describe(
    `kpkg inspect on the real ${spec.series} arm64 ${spec.config ?? 'tiny'} tree`,
    { timeout: KERNEL_BUILD_TIMEOUT_MS },
    () => {
      test('reports release, arch, ELF target, compiler, cross and features as the tree has them', async () => {
        const objtree = await builtKernelTree(spec);
        const report = await runKpkgJson<InspectJson>(['inspect', '--build-dir', objtree]);

        const srctree = report.srctree;
        const makeRelease = await execa('make', [
          '-s',
          '-C',
          srctree,
          `O=${objtree}`,
          'ARCH=arm64',
          'CROSS_COMPILE=aarch64-linux-gnu-',
          'kernelrelease',
        ]);
        assert.equal(report.release, makeRelease.stdout.trim());
        assert.ok(report.release.startsWith(`${spec.series}.`), report.release);
        assert.equal(report.separateObjtree, true);
        assert.equal(report.arch, 'arm64');
        assert.equal(report.srcarch, 'arm64');
        assert.equal(report.debianArch, 'arm64');

        assert.equal(report.target.machine, 183);
        assert.equal(report.target.machineName, 'AArch64');
        assert.equal(report.target.class, 64);
        assert.equal(report.target.endian, 'little');
        assert.equal(report.target.vmlinux, 'agrees');
        assert.match((await execa('file', ['-b', join(objtree, 'vmlinux')])).stdout, /ELF 64-bit LSB .*ARM aarch64/);

        const gccVersion = (await execa('aarch64-linux-gnu-gcc', ['--version'])).stdout.split('\n')[0];
        assert.equal(report.compiler.kind, 'gcc');
        assert.equal(report.compiler.versionText, gccVersion);
        assert.equal(report.compiler.cc, 'aarch64-linux-gnu-gcc');
        assert.equal(report.compiler.crossPrefix, 'aarch64-linux-gnu-');
        assert.equal(report.compiler.hostcc, 'gcc');
        assert.equal(report.compiler.ccCanLink, true);
        assert.equal(report.cross, true);

        const symbols: Record<string, string> = {
          modules: 'MODULES',
          modversions: 'MODVERSIONS',
          moduleSig: 'MODULE_SIG',
          objtool: 'OBJTOOL',
          debugInfo: 'DEBUG_INFO',
          debugInfoBtfModules: 'DEBUG_INFO_BTF_MODULES',
          gendwarfksyms: 'GENDWARFKSYMS',
        };
        for (const [feature, symbol] of Object.entries(symbols)) {
          assert.equal(
            report.features[feature],
            await enabledInDotConfig(objtree, symbol),
            `${feature} (CONFIG_${symbol})`,
          );
        }
        const full = spec.config === 'full';
        assert.equal(report.features.modules, true);
        assert.equal(report.features.modversions, true);
        assert.equal(report.features.moduleSig, full);
        assert.equal(report.features.moduleSigHash, full ? 'sha256' : null);
        assert.equal(report.features.debugInfoBtfModules, full);
        assert.deepEqual(report.features.gccPlugins, full ? ['LATENT_ENTROPY'] : []);
        assert.equal(report.features.objtool, false);
        assert.equal(report.features.randstruct, false);

        assert.deepEqual(report.artifacts, {
          moduleSymvers: true,
          vmlinux: true,
          bootImage: 'arch/arm64/boot/Image.gz',
        });
      });

      test('the human table names the release, target and features', async () => {
        const objtree = await builtKernelTree(spec);
        const r = await runKpkg(['inspect', '--build-dir', objtree]);
        assert.equal(r.exitCode, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`^Linux ${spec.series.replace('.', '\\.')}\\.`, 'm'));
        assert.match(r.stdout, /target\s+arm64 \(aarch64-linux-gnu\), ELF AArch64 64-bit little-endian/);
        assert.match(r.stdout, /cross build\s+yes/);
        assert.match(r.stdout, /GCC plugins\s+(none|LATENT_ENTROPY)/);
      });
    },
  );
}

describe('kpkg inspect explains trees it cannot read', { timeout: KERNEL_BUILD_TIMEOUT_MS }, () => {
  test('a directory that is not a kernel', async () => {
    const r = await runKpkg(['inspect', '--build-dir', await mkdtemp(join(tmpdir(), 'kpkg-empty-'))]);
    assert.notEqual(r.exitCode, 0);
    assert.match(r.stderr, /is not a Linux kernel tree/);
    assert.match(r.stderr, /fix: point --build-dir at the directory you built the kernel in/);
  });

  test('an unconfigured source tree (the real linux-source-6.1 tree, built with O= elsewhere)', async () => {
    const objtree = await builtKernelTree({ series: '6.1' });
    const { srctree } = await runKpkgJson<InspectJson>(['inspect', '--build-dir', objtree]);
    const r = await runKpkg(['inspect', '--build-dir', srctree, 'ARCH=arm64']);
    assert.notEqual(r.exitCode, 0);
    assert.match(r.stderr, /\.config not found in .*: this tree is not configured/);
    assert.match(r.stderr, /make -C .* ARCH=arm64 defconfig/);
  });

  test('a configured but unbuilt tree (real make defconfig into an empty O= directory)', async () => {
    const objtree = await builtKernelTree({ series: '6.1' });
    const { srctree } = await runKpkgJson<InspectJson>(['inspect', '--build-dir', objtree]);
    const fresh = await mkdtemp(join(tmpdir(), 'kpkg-unbuilt-'));
    await execa('make', [
      '-s',
      '-C',
      srctree,
      `O=${fresh}`,
      'ARCH=arm64',
      'CROSS_COMPILE=aarch64-linux-gnu-',
      'defconfig',
    ]);
    const r = await runKpkg(['inspect', '--build-dir', fresh]);
    assert.notEqual(r.exitCode, 0);
    assert.match(r.stderr, /include\/config\/kernel\.release not found in .*: the tree is configured but not built/);
    assert.match(r.stderr, /fix: build it first: `make -C .* O=.* ARCH=arm64 -j\$\(nproc\)`/);
  });

  test('a stray argument is a usage error', async () => {
    const r = await runKpkg(['inspect', 'FOO=bar']);
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /unexpected argument: FOO=bar/);
  });
});
