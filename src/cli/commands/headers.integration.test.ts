import assert from 'node:assert/strict';
import { execa } from 'execa';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { rootfsCacheDir } from '../../smoke/cache-dir.js';
import { putText, testTarget } from '../../testing/sandbox-rootfs.js';
import { smoke } from '../../smoke/smoke.js';
import { assertDependsMatchElves, elfFilesByFile, extractDeb, fileSaysFor } from '../../testing/deb-contents.js';
import { builtKernelTree, inTier, KERNEL_BUILD_TIMEOUT_MS, REPO_ROOT } from '../../testing/kernel-trees.js';
import { runKpkg } from '../../testing/run-kpkg.js';

/** Beyond upstream: objtool, resolve_btfids, GCC plugins, sign-file and clang builds rebuilt for the target. */

interface DebJson {
  release: string;
  targetLibraries?: string;
  packages: { path: string }[];
  rebuilt: { path: string; was: string }[];
  elfCount: number;
}

async function headersDeb(objtree: string, extra: readonly string[] = []): Promise<DebJson> {
  const out = await mkdtemp(join(tmpdir(), 'kpkg-deb-'));
  const r = await runKpkg(['deb', '--only', 'headers', '--build-dir', objtree, '--out', out, '--json', ...extra]);
  assert.equal(r.exitCode, 0, r.stderr);
  return JSON.parse(r.stdout) as DebJson;
}

async function assertAllTarget(deb: string, json: DebJson, fileSays = fileSaysFor('arm64')): Promise<void> {
  const elves = await elfFilesByFile(await extractDeb(deb));
  assert.equal(elves.size, json.elfCount);
  for (const [path, desc] of elves) assert.match(desc, fileSays, path);
}

/** kpkg verify passes the headers package, and on the emulated target it installs and a module builds against it. */
async function assertVerifiedAndSmoked(deb: string, json: DebJson, debianArch: string): Promise<void> {
  const verify = await runKpkg(['verify', deb, '--json']);
  assert.equal(verify.exitCode, 0, verify.stdout);
  const result = await smoke({ debianArch, packages: [deb], release: json.release, cacheDir: rootfsCacheDir() });
  assert.equal(result.ok, true, `${result.failedStep ?? ''}: ${result.logTail ?? ''}`);
  assert.ok(result.vermagic?.startsWith(`${json.release} `), result.vermagic);
}

for (const series of (['6.1', '6.12'] as const).filter((series) => inTier({ series, config: 'full' }))) {
  describe(
    `the ${series} arm64 full tree: GCC plugin, resolve_btfids and sign-file for the target`,
    { timeout: KERNEL_BUILD_TIMEOUT_MS },
    () => {
      test('headers deb: every host program rebuilt, zero wrong-arch ELF (kpkg and file agree); on the target the plugin loads, sign-file signs, resolve_btfids runs', async () => {
        const json = await headersDeb(await builtKernelTree({ series, config: 'full' }));
        const deb = json.packages[0]?.path ?? '';
        const depends = await assertDependsMatchElves(deb, ['gcc-12', 'cpp-12']);
        // lintian: no errors (zlib is linked, not embedded), nothing undeclared.
        const lint = await execa('lintian', ['--tag-display-limit', '0', '-E', deb], { reject: false, all: true });
        assert.doesNotMatch(lint.all ?? '', /^E: |undeclared-elf-prerequisites/m, lint.all);
        // The plugins load only into the gcc build whose plugin headers they were compiled against.
        const record = await readFile(
          join(await extractDeb(deb), `usr/src/linux-headers-${json.release}/scripts/gcc-plugins/kpkg-target-gcc`),
          'utf8',
        );
        const build = /^pkgversion: Debian (\S+)$/m.exec(record)?.[1] ?? '';
        assert.match(
          depends,
          new RegExp(`gcc-12 \\(= ${build.replaceAll('.', '\\.').replaceAll('+', '\\+')}\\), cpp-12 \\(= `),
          depends,
        );
        const rebuilt = json.rebuilt.map((r) => r.path);
        for (const p of [
          'scripts/gcc-plugins/latent_entropy_plugin.so',
          'tools/bpf/resolve_btfids/resolve_btfids',
          'scripts/sign-file',
          'scripts/basic/fixdep',
          'scripts/mod/modpost',
        ]) {
          assert.ok(rebuilt.includes(p), `${p} not rebuilt: ${rebuilt.join(', ')}`);
        }
        await assertAllTarget(deb, json);

        const lines: string[] = [];
        const result = await smoke({
          debianArch: 'arm64',
          packages: [deb],
          release: json.release,
          cacheDir: rootfsCacheDir(),
          makeArgs: ['V=1'],
          keepRootfs: true,
          verbose: true,
          onLine: (l) => lines.push(l),
        });
        const root = result.rootfsDir ?? '';
        try {
          assert.equal(result.ok, true, `${result.failedStep ?? ''}: ${result.logTail ?? ''}`);
          assert.ok(result.vermagic?.startsWith(`${json.release} `), result.vermagic);
          // The target gcc really loaded the rebuilt plugin while compiling the module.
          assert.ok(
            lines.some(
              (l) => l.includes('-fplugin=') && l.includes('latent_entropy_plugin.so') && l.includes('kpkg_hello'),
            ),
            'no compile command with the plugin',
          );

          const build = `/lib/modules/${json.release}/build`;
          // The throwaway key is made on the build machine: openssl in the rootfs would bring libssl3
          // and hide a missing Depends of sign-file (the rootfs has only what the package declares).
          const keyDir = await mkdtemp(join(tmpdir(), 'kpkg-key-'));
          await execa('openssl', [
            'req',
            '-new',
            '-x509',
            '-newkey',
            'rsa:2048',
            '-nodes',
            '-sha256',
            '-days',
            '1',
            '-subj',
            '/CN=kpkg throwaway',
            '-keyout',
            join(keyDir, 'key.pem'),
            '-out',
            join(keyDir, 'key.pem'),
          ]);
          const target = await testTarget(root);
          await putText(target, '/tmp/key.pem', await readFile(join(keyDir, 'key.pem'), 'utf8'));
          await rm(keyDir, { recursive: true, force: true });
          const status = await readFile(join(root, 'var/lib/dpkg/status'), 'utf8');
          for (const pkg of ['libelf1', 'libssl3'])
            assert.match(status, new RegExp(`^Package: ${pkg}$`, 'm'), `${pkg} came with the headers' Depends`);
          assert.doesNotMatch(status, /^Package: openssl$/m);
          const ko = result.moduleFile ?? '';
          const sign = await target.run([`${build}/scripts/sign-file`, 'sha256', '/tmp/key.pem', '/tmp/key.pem', ko]);
          assert.equal(sign.exitCode, 0, sign.tail);
          const signed = await readFile(join(root, ko));
          assert.equal(signed.subarray(-28).toString('latin1'), '~Module signature appended~\n');

          const btf = await target.run([`${build}/tools/bpf/resolve_btfids/resolve_btfids`, '--help']);
          assert.match(btf.output, /usage: resolve_btfids/i);
          assert.doesNotMatch(btf.output, /Exec format error|not found/);
        } finally {
          if (root !== '') await execa('rm', ['-rf', '--one-file-system', root]);
        }
      });

      test("a target gcc other than the plugin headers' build is refused before anything is built or written", async () => {
        const objtree = await builtKernelTree({ series, config: 'full' });
        const out = await mkdtemp(join(tmpdir(), 'kpkg-deb-'));
        const r = await runKpkg([
          'deb',
          '--only',
          'headers',
          '--build-dir',
          objtree,
          '--out',
          out,
          '--target-gcc',
          '12.2.0-13',
        ]);
        assert.equal(r.exitCode, 1, r.stderr);
        assert.match(
          r.stderr,
          /the target's gcc is 12\.2\.0-13, but the GCC plugin headers are those of gcc 12\.2\.0 \(Debian 12\.2\.0-[^)]+\): that gcc would refuse every plugin/,
        );
        assert.doesNotMatch(r.stderr, /internal error|at .*\.js:\d+/);
        assert.deepEqual(await readdir(out), []);
        // The plugin headers' own build is accepted.
        const ok = await runKpkg([
          'deb',
          '--only',
          'headers',
          '--build-dir',
          objtree,
          '--out',
          out,
          '--target-gcc',
          '12.2.0',
        ]);
        assert.equal(ok.exitCode, 0, ok.stderr);
      });
    },
  );
}

describe(
  'upstream 6.12 make bindeb-pkg on the same full tree, for comparison',
  { timeout: KERNEL_BUILD_TIMEOUT_MS },
  () => {
    test("its headers fail kpkg verify on the host-arch resolve_btfids and GCC plugin; kpkg's pass", async () => {
      const dir =
        (await execa(`${REPO_ROOT}tools/upstream-debs`, ['--series', '6.12', '--config', 'full'])).stdout
          .trim()
          .split('\n')
          .pop() ?? '';
      const upstream = (await readdir(dir))
        .filter((f) => f.startsWith('linux-headers-') && f.endsWith('.deb'))
        .map((f) => join(dir, f));
      assert.equal(upstream.length, 1);
      const r = await runKpkg(['verify', ...upstream, '--arch', 'arm64', '--json']);
      assert.equal(r.exitCode, 1, r.stderr);
      const report = JSON.parse(r.stdout) as {
        findings: { check: string; severity: string; path?: string; found?: string; expected?: string }[];
      };
      const wrong = report.findings.filter((f) => f.check === 'elf-machine').map((f) => f.path ?? '');
      assert.ok(
        wrong.some((p) => p.endsWith('/tools/bpf/resolve_btfids/resolve_btfids')),
        wrong.join(', '),
      );
      assert.ok(
        wrong.some((p) => p.endsWith('/scripts/gcc-plugins/latent_entropy_plugin.so')),
        wrong.join(', '),
      );
      assert.ok(report.findings.filter((f) => f.check === 'elf-machine').every((f) => /x86-64/.test(f.found ?? '')));
      // Upstream declares no Depends: its programs' libraries are warnings (it is not kpkg's package).
      const undeclared = report.findings.filter((f) => f.check === 'prerequisites-other');
      assert.ok(undeclared.every((f) => f.severity === 'warning'));
      for (const pkg of ['libc6', 'libelf1', 'libssl3'])
        assert.ok(
          undeclared.some((f) => f.expected?.split(' | ').includes(pkg) === true),
          `${pkg} not named: ${JSON.stringify(undeclared)}`,
        );

      const ours =
        (await headersDeb(await builtKernelTree({ series: '6.12', config: 'full' }))).packages[0]?.path ?? '';
      const clean = await runKpkg(['verify', ours, '--arch', 'arm64', '--json']);
      assert.equal(clean.exitCode, 0, clean.stdout);
      const cleanReport = JSON.parse(clean.stdout) as {
        findings: { check: string }[];
        headersTrees: { pluginCompiler: string | null }[];
      };
      assert.deepEqual(
        cleanReport.findings.filter((f) => f.check.startsWith('prerequisites')),
        [],
      );
      assert.match(cleanReport.headersTrees[0]?.pluginCompiler ?? '', /^gcc 12\.\d+\.\d+ \(Debian 12\.[^)]+\)$/);
    });
  },
);

if (inTier({ series: '6.12', config: 'tiny', llvm: true }))
  describe('a 6.12 arm64 tiny tree built with LLVM=1 (clang, ld.lld)', { timeout: KERNEL_BUILD_TIMEOUT_MS }, () => {
    test('host programs are rebuilt with clang --target, and kpkg smoke builds a module with LLVM=1 on the target', async () => {
      const objtree = await builtKernelTree({ series: '6.12', config: 'tiny', llvm: true });
      const inspect = JSON.parse((await runKpkg(['inspect', '--build-dir', objtree, '--json'])).stdout) as {
        compiler: { kind: string; hostcc: string; clangTarget: string };
      };
      assert.deepEqual(
        [inspect.compiler.kind, inspect.compiler.hostcc, inspect.compiler.clangTarget],
        ['clang', 'clang', 'aarch64-linux-gnu'],
      );
      const json = await headersDeb(objtree);
      const deb = json.packages[0]?.path ?? '';
      assert.deepEqual(json.rebuilt.map((r) => r.path).sort(), [
        'scripts/basic/fixdep',
        'scripts/genksyms/genksyms',
        'scripts/mod/modpost',
        'scripts/sorttable',
      ]);
      await assertAllTarget(deb, json);
      const copy = join(await mkdtemp(join(tmpdir(), 'kpkg-smoke-')), 'headers.deb');
      await copyFile(deb, copy);
      const r = await runKpkg(['smoke', copy, '--json']);
      assert.equal(r.exitCode, 0, r.stdout + r.stderr);
      const result = JSON.parse(r.stdout) as { ok: boolean; llvm: boolean; vermagic: string };
      assert.equal(result.llvm, true);
      assert.ok(result.vermagic.startsWith(`${json.release} `), result.vermagic);
    });
  });

if (inTier({ series: '6.12', arch: 'ppc64el', config: 'tiny' }))
  describe('a 6.12 ppc64el tiny tree with ftrace, so CONFIG_OBJTOOL=y', { timeout: KERNEL_BUILD_TIMEOUT_MS }, () => {
    const ppc64el = fileSaysFor('ppc64el');
    test("objtool is rebuilt for ppc64el (target libelf from kpkg's own sysroot, no ppc64el architecture configured), and runs in a ppc64el rootfs while a module builds", async () => {
      const objtree = await builtKernelTree({ series: '6.12', arch: 'ppc64el', config: 'tiny' });
      const inspect = JSON.parse((await runKpkg(['inspect', '--build-dir', objtree, '--json'])).stdout) as {
        debianArch: string;
        features: { objtool: boolean };
      };
      assert.deepEqual([inspect.debianArch, inspect.features.objtool], ['ppc64el', true]);
      const json = await headersDeb(objtree);
      assert.match(json.targetLibraries ?? '', /kpkg's sysroot \(bookworm ppc64el/);
      const deb = json.packages[0]?.path ?? '';
      assert.ok(
        json.rebuilt.some((r) => r.path === 'tools/objtool/objtool' && /x86-64/.test(r.was)),
        JSON.stringify(json.rebuilt),
      );
      await assertAllTarget(deb, json, ppc64el);

      const lines: string[] = [];
      const result = await smoke({
        debianArch: 'ppc64el',
        packages: [deb],
        release: json.release,
        cacheDir: rootfsCacheDir(),
        makeArgs: ['V=1'],
        verbose: true,
        onLine: (l) => lines.push(l),
      });
      assert.equal(result.ok, true, `${result.failedStep ?? ''}: ${result.logTail ?? ''}`);
      assert.ok(result.vermagic?.startsWith(`${json.release} `), result.vermagic);
      assert.ok(
        lines.some((l) => l.includes('tools/objtool/objtool') && l.includes('kpkg_hello')),
        'objtool did not run on the module',
      );
    });

    test('its Depends bring libelf1: without them the bare rootfs has none, and objtool dies with the loader error', async () => {
      const json = await headersDeb(await builtKernelTree({ series: '6.12', arch: 'ppc64el', config: 'tiny' }));
      const deb = json.packages[0]?.path ?? '';
      assert.match(await assertDependsMatchElves(deb), /libelf1 \(>= /);
      const lint = await execa('lintian', ['--tag-display-limit', '0', '-E', deb], { reject: false, all: true });
      assert.doesNotMatch(lint.all ?? '', /^E: |undeclared-elf-prerequisites/m, lint.all);
      const work = await mkdtemp(join(tmpdir(), 'kpkg-nodeps-'));
      await execa('dpkg-deb', ['-R', deb, join(work, 'pkg')]);
      const control = join(work, 'pkg/DEBIAN/control');
      await writeFile(control, (await readFile(control, 'utf8')).replace(/^Depends: .*\n/m, ''));
      const stripped = join(work, 'no-depends.deb');
      await execa('dpkg-deb', ['--root-owner-group', '-b', join(work, 'pkg'), stripped]);
      const result = await smoke({
        debianArch: 'ppc64el',
        packages: [stripped],
        release: json.release,
        cacheDir: rootfsCacheDir(),
      });
      assert.equal(result.ok, false, 'the module built without libelf1');
      assert.equal(result.failedStep, 'build module');
      assert.match(
        result.logTail ?? '',
        /tools\/objtool\/objtool: error while loading shared libraries: libelf\.so\.1: cannot open shared object file/,
      );
    });

    test('upstream make bindeb-pkg ships a host-arch objtool: kpkg verify fails it', async () => {
      const dir =
        (
          await execa(`${REPO_ROOT}tools/upstream-debs`, ['--series', '6.12', '--arch', 'ppc64el', '--config', 'tiny'])
        ).stdout
          .trim()
          .split('\n')
          .pop() ?? '';
      const upstream = (await readdir(dir))
        .filter((f) => f.startsWith('linux-headers-') && f.endsWith('.deb'))
        .map((f) => join(dir, f));
      assert.equal(upstream.length, 1);
      const r = await runKpkg(['verify', ...upstream, '--arch', 'ppc64el', '--json']);
      assert.equal(r.exitCode, 1, r.stderr);
      const report = JSON.parse(r.stdout) as {
        findings: { check: string; severity: string; path?: string; found?: string; expected?: string }[];
      };
      const objtool = report.findings.find(
        (f) => f.check === 'elf-machine' && (f.path ?? '').endsWith('/tools/objtool/objtool'),
      );
      assert.match(objtool?.found ?? '', /x86-64/);
    });
  });

if (inTier({ series: '6.1', arch: 's390x', config: 'tiny' }))
  describe(
    'a 6.1 s390x tiny tree: big-endian target, little-endian build machine',
    { timeout: KERNEL_BUILD_TIMEOUT_MS },
    () => {
      test('modpost is rebuilt with an elfconfig.h for the target (HOST_ELFDATA big-endian), and on the emulated s390x target a module builds, modpost reading it the right way round', async () => {
        const objtree = await builtKernelTree({ series: '6.1', arch: 's390x', config: 'tiny' });
        // The tree's own record says the build machine: modpost built from it would byte-swap an s390x module.
        assert.match(
          await readFile(join(objtree, 'scripts/mod/elfconfig.h'), 'utf8'),
          /^#define HOST_ELFDATA ELFDATA2LSB$/m,
        );
        const json = await headersDeb(objtree);
        assert.ok(
          json.rebuilt.some((r) => r.path === 'scripts/mod/modpost'),
          JSON.stringify(json.rebuilt),
        );
        const deb = json.packages[0]?.path ?? '';
        await assertAllTarget(deb, json, fileSaysFor('s390x'));
        await assertVerifiedAndSmoked(deb, json, 's390x');
      });
    },
  );

// The other targets (riscv64, armhf, i386, s390x on 5.10 and 6.12, the newest kernel) are cells of
// tools/matrix (src/testing/matrix.ts), which tools/test --all runs after the tests.
