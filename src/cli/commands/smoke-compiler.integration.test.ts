/**
 * The headers package brings the kernel's compiler and makes `make M=` use it, proved as a user meets it
 * (issue #29): `kpkg smoke --bare-rootfs` starts from an emulated arm64 Debian without a compiler, lets
 * the headers' own Depends bring one, and builds the module with a plain `make -C … M=…` (no LLVM=).
 * - gcc-built 6.12 arm64 full tree (GCC plugins: gcc-12 pinned) — the CI tier;
 * - clang-built 6.12 arm64 tiny tree (LLVM=1): clang-14, lld-14, llvm-14 and the GNUmakefile's LLVM= — --all only;
 * - clang-built 6.1 arm64 dkms tree: Debian 12's dkms 3.0.10, which passes no LLVM= itself, builds a real
 *   DKMS package against its headers — --all only.
 * Each can fail: the same packages as they were before (no compiler in Depends; no GNUmakefile) fail.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import type { DkmsResult } from '../../smoke/dkms.js';
import { editedDeb } from '../../testing/edit-deb.js';
import { builtKernelTree, inTier, KERNEL_BUILD_TIMEOUT_MS, type TreeSpec } from '../../testing/kernel-trees.js';
import { runKpkg } from '../../testing/run-kpkg.js';

interface SmokeJson {
  ok: boolean;
  failedStep?: string;
  logTail?: string;
  vermagic?: string;
  dkms?: DkmsResult[];
}

/**
 * The relations kpkg added for the kernel's compiler: unversioned gcc, gcc-N, clang-N, lld-N, llvm-N. The
 * GCC plugins' exact pins (gcc-12 (= …), cpp-12 (= …)) were there before, and stay.
 */
const COMPILER_RELATION = /^(gcc|clang|lld|llvm)(-\d+)?$/;

async function smokeJson(args: readonly string[]): Promise<SmokeJson> {
  const r = await runKpkg(['smoke', ...args, '--json']);
  assert.ok(r.stdout.trim().startsWith('{'), `no JSON (exit ${r.exitCode}): ${r.stderr}`);
  return JSON.parse(r.stdout) as SmokeJson;
}

/** The Depends field of a .deb. */
async function depends(deb: string): Promise<string> {
  return (await execa('dpkg-deb', ['-f', deb, 'Depends'])).stdout;
}

/** The headers deb as kpkg wrote it before it named the compiler: `Depends` without one, and no GNUmakefile when `dropDefault`. */
async function withoutCompiler(
  deb: string,
  out: string,
  edit: { depends: boolean; dropDefault: boolean },
): Promise<string> {
  return editedDeb(deb, out, async (dir) => {
    if (edit.depends) {
      const control = join(dir, 'DEBIAN/control');
      const text = await readFile(control, 'utf8');
      const kept = (line: string): string =>
        line
          .slice('Depends: '.length)
          .split(/,\s*/)
          .filter((r) => !COMPILER_RELATION.test(r.trim()))
          .join(', ');
      await writeFile(
        control,
        text
          .split('\n')
          .map((l) => (l.startsWith('Depends: ') ? `Depends: ${kept(l)}` : l))
          .filter((l) => l !== 'Depends: ')
          .join('\n'),
      );
    }
    if (edit.dropDefault) {
      const { stdout } = await execa('find', [dir, '-name', 'GNUmakefile']);
      for (const file of stdout.split('\n').filter((f) => f !== '')) await rm(file);
    }
  });
}

const CASES: readonly { spec: TreeSpec; kind: 'gcc' | 'clang' }[] = [
  { spec: { series: '6.12', config: 'full' }, kind: 'gcc' },
  { spec: { series: '6.12', config: 'tiny', llvm: true }, kind: 'clang' },
];

for (const { spec, kind } of CASES.filter((c) => inTier(c.spec)))
  describe(
    `the headers of a ${kind}-built 6.12 arm64 ${spec.config ?? 'tiny'} tree bring their compiler to a target without one`,
    { timeout: KERNEL_BUILD_TIMEOUT_MS + 60 * 60 * 1000 },
    () => {
      let work = '';
      let headers = '';

      before(
        async () => {
          const tree = await builtKernelTree(spec);
          work = await mkdtemp(join(tmpdir(), 'kpkg-smoke-compiler-'));
          const r = await runKpkg(['deb', '--build-dir', tree, '--out', work, '--only', 'headers', '--json']);
          assert.equal(r.exitCode, 0, r.stderr);
          const written = JSON.parse(r.stdout) as { packages: { kind: string; path: string }[] };
          headers = written.packages.find((p) => p.kind === 'headers')?.path ?? assert.fail('no headers package');
        },
        { timeout: KERNEL_BUILD_TIMEOUT_MS },
      );
      after(() => (work === '' ? undefined : rm(work, { recursive: true, force: true })));

      test('Depends name the compiler; plain make builds the module in a rootfs that had none', async () => {
        const fields = await depends(headers);
        if (kind === 'gcc') assert.match(fields, /\bgcc-12 \(= [^)]+\), .*\bgcc\b|\bgcc\b.*gcc-12 \(= /);
        else assert.match(fields, /\bclang-14\b.*\blld-14\b.*\bllvm-14\b/);
        const result = await smokeJson(['--bare-rootfs', headers]);
        assert.ok(result.ok, `${result.failedStep ?? ''}\n${result.logTail ?? ''}`);
        assert.match(result.vermagic ?? '', /^6\.12\.\d+ SMP mod_unload modversions aarch64/);
      });

      test('the same package as kpkg wrote it before (no compiler relations, no GNUmakefile) fails there: "gcc: not found"', async () => {
        const before = await withoutCompiler(headers, join(work, 'no-compiler.deb'), {
          depends: true,
          dropDefault: true,
        });
        assert.doesNotMatch(await depends(before), /(^|, )(gcc|clang)(-\d+)?(,|$)/);
        const result = await smokeJson(['--bare-rootfs', before]);
        assert.equal(result.ok, false);
        assert.equal(result.failedStep, 'build module');
        assert.match(result.logTail ?? '', /gcc: not found|gcc: No such file/);
      });

      if (kind === 'clang') {
        test("without the GNUmakefile make picks gcc, which refuses clang's options", async () => {
          const noDefault = await withoutCompiler(headers, join(work, 'no-default.deb'), {
            depends: false,
            dropDefault: true,
          });
          const result = await smokeJson([noDefault]);
          assert.equal(result.failedStep, 'build module');
          assert.match(result.logTail ?? '', /unrecognized command[- ]line option|compiler differs/);
        });

        test('the rpm and pacman headers packages require clang, lld and llvm by their plain names, and default LLVM=1', async () => {
          const tree = await builtKernelTree(spec);
          const written = async (family: string, only: string): Promise<string> => {
            const r = await runKpkg([
              family,
              '--build-dir',
              tree,
              '--out',
              join(work, family),
              '--only',
              only,
              '--json',
            ]);
            assert.equal(r.exitCode, 0, r.stderr);
            return (JSON.parse(r.stdout) as { packages: { path: string }[] }).packages[0]?.path ?? assert.fail(family);
          };
          const rpm = await written('rpm', 'devel');
          const requires = (await execa('rpm', ['-qp', '--requires', rpm])).stdout.split('\n');
          assert.ok(
            ['clang', 'lld', 'llvm'].every((name) => requires.includes(name)),
            requires.join(', '),
          );
          const files = (await execa('rpm', ['-qp', '--list', rpm])).stdout.split('\n');
          assert.ok(
            files.some((f) => f.endsWith('/GNUmakefile')),
            'kernel-devel has no GNUmakefile',
          );
          const pacman = await written('pacman', 'headers');
          const info = (await execa('tar', ['-xOf', pacman, '.PKGINFO'])).stdout;
          assert.ok(
            ['clang', 'lld', 'llvm'].every((name) => new RegExp(`^depend = ${name}$`, 'm').test(info)),
            info,
          );
          const makefile = await execa('sh', ['-c', 'tar -xOf "$1" --wildcards "*/build/GNUmakefile"', 'sh', pacman]);
          assert.match(makefile.stdout, /^export LLVM := 1$/m);
        });
      }
    },
  );

/**
 * Debian 12's DKMS packages are written for its 6.1 kernels (vpoll-dkms 0.1-3 calls class_create with the
 * module owner, which Linux 6.4 dropped: include/linux/device/class.h), so the DKMS proof uses a 6.1 tree
 * configured for them (tools/kernel-tree --config dkms), built with clang.
 */
const CLANG_DKMS: TreeSpec = { series: '6.1', config: 'dkms', llvm: true };
if (inTier(CLANG_DKMS))
  describe(
    "Debian 12's dkms builds a DKMS package against the headers of a clang-built 6.1 arm64 tree",
    { timeout: KERNEL_BUILD_TIMEOUT_MS + 30 * 60 * 1000 },
    () => {
      let work = '';
      after(() => (work === '' ? undefined : rm(work, { recursive: true, force: true })));

      test('dkms 3.0.10 (no LLVM= of its own) builds vpoll-dkms in a rootfs without a compiler', async () => {
        const tree = await builtKernelTree(CLANG_DKMS);
        work = await mkdtemp(join(tmpdir(), 'kpkg-smoke-clang-dkms-'));
        const r = await runKpkg(['deb', '--build-dir', tree, '--out', work, '--only', 'headers', '--json']);
        assert.equal(r.exitCode, 0, r.stderr);
        const written = JSON.parse(r.stdout) as { packages: { kind: string; path: string }[] };
        const headers = written.packages.find((p) => p.kind === 'headers')?.path ?? assert.fail('no headers package');
        assert.match(await depends(headers), /\bclang-14\b.*\blld-14\b.*\bllvm-14\b/);
        const result = await smokeJson(['--bare-rootfs', '--dkms', 'vpoll-dkms', headers]);
        assert.ok(result.ok, `${result.failedStep ?? ''}\n${result.logTail ?? ''}`);
        const vpoll = result.dkms?.find((d) => d.package === 'vpoll-dkms');
        assert.match(vpoll?.vermagic ?? '', /^6\.1\.\d+ SMP mod_unload modversions aarch64/);
      });
    },
  );
