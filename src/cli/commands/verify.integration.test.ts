/**
 * kpkg verify on real third-party packages: Debian's own split arm64 and amd64 kernel headers
 * (downloaded with apt-get at test time, cached), upstream's `make bindeb-pkg` headers of a
 * cross-built 6.1 tree, and kpkg's own headers package of the same tree.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { execa } from 'execa';
import { builtKernelTree, KERNEL_BUILD_TIMEOUT_MS, REPO_ROOT } from '../../testing/kernel-trees.js';
import { runKpkg } from '../../testing/run-kpkg.js';
import { debianAmd64HeaderSet, debianArm64HeaderSet } from '../../testing/debian-headers.js';
import { debianArm64Kbuild } from '../../testing/smoke-fixtures.js';
import type { VerifyReport } from '../../verify/verify.js';

async function verifyJson(args: string[]): Promise<{ exitCode: number; report: VerifyReport; stderr: string }> {
  const r = await runKpkg(['verify', ...args, '--json']);
  assert.ok(r.exitCode === 0 || r.exitCode === 1, `kpkg verify ${args.join(' ')} exited ${r.exitCode}:\n${r.stderr}`);
  return { exitCode: r.exitCode, report: JSON.parse(r.stdout) as VerifyReport, stderr: r.stderr };
}

function machinePaths(report: VerifyReport): string[] {
  return report.findings.filter((f) => f.check === 'elf-machine').map((f) => f.path ?? '');
}

describe("kpkg verify on Debian's own kernel headers (apt-get download)", { timeout: 20 * 60 * 1000 }, () => {
  test('linux-headers-<abi>-arm64 + -common + linux-kbuild (arm64) pass with --arch arm64, verified as one set', async () => {
    const set = await debianArm64HeaderSet();
    const { exitCode, report } = await verifyJson([...set.debs, '--arch', 'arm64']);
    assert.equal(
      exitCode,
      0,
      JSON.stringify(
        report.findings.filter((f) => f.severity === 'error'),
        null,
        1,
      ),
    );
    assert.equal(report.result, 'pass');
    assert.deepEqual(
      report.packages.map((p) => p.format),
      ['deb', 'deb', 'deb'],
    );
    const abi = set.release.replace(/-arm64$/, '');
    assert.deepEqual(
      report.headersTrees.map((t) => [t.root, t.release, t.sourceDir]),
      [[`/usr/src/linux-headers-${set.release}`, set.release, `/usr/src/linux-headers-${abi}-common`]],
    );
    for (const id of [
      'elf-machine',
      'elf-interpreter',
      'headers-incomplete',
      'build-link',
      'deb-md5sums',
      'deb-control',
      'package-arch',
    ] as const) {
      assert.equal(report.checks.find((c) => c.id === id)?.status, 'pass', id);
    }
    assert.ok(
      report.packages.reduce((n, p) => n + p.elfFiles, 0) >= 5,
      'linux-kbuild ships the host programs as arm64 ELF',
    );
    // linux-kbuild declares libc6, libelf1 and libssl3: every DT_NEEDED of its programs.
    for (const id of ['prerequisites', 'prerequisites-other'] as const)
      assert.equal(report.checks.find((c) => c.id === id)?.status, 'pass', id);
  });

  test('the flavour package alone is incomplete: its scripts/ lead into linux-kbuild, which is not in the set', async () => {
    const set = await debianArm64HeaderSet();
    const flavour = set.debs[0] ?? '';
    const { exitCode, report } = await verifyJson([flavour, '--arch', 'arm64']);
    assert.equal(exitCode, 1);
    const missing = report.findings.filter((f) => f.check === 'headers-incomplete').map((f) => f.path ?? '');
    assert.ok(
      missing.some((p) => p.endsWith('/scripts/basic/fixdep')),
      missing.join(', '),
    );
    assert.ok(
      missing.some((p) => p.endsWith('/arch/arm64/Makefile')),
      'the arch Makefile is in -common',
    );
  });

  test('the amd64 ones fail with --arch arm64, naming the x86-64 binaries', async () => {
    const set = await debianAmd64HeaderSet();
    const { exitCode, report, stderr } = await verifyJson([...set.debs, '--arch', 'arm64']);
    assert.equal(exitCode, 1);
    assert.match(stderr, /verification failed: \d+ error-level findings/);
    const paths = machinePaths(report);
    for (const program of [
      'scripts/basic/fixdep',
      'scripts/genksyms/genksyms',
      'scripts/mod/modpost.real-lsb-64',
      'tools/objtool/objtool',
    ]) {
      assert.ok(
        paths.some((p) => p.endsWith(`/${program}`)),
        `${program} among ${paths.join(', ')}`,
      );
    }
    for (const f of report.findings.filter((x) => x.check === 'elf-machine'))
      assert.equal(f.found, 'x86-64 64-bit little-endian');
    assert.deepEqual(
      report.findings.filter((f) => f.check === 'package-arch').map((f) => f.found),
      ['amd64', 'amd64'],
    );
  });

  test("trixie's linux-kbuild is judged by trixie's library data, whatever release the cache holds", async () => {
    // The cache holds bookworm's arm64 sysroot (kpkg deb's default here): it must not judge a trixie package.
    const sysroot = await runKpkg(['sysroot', '--arch', 'arm64', '--target-suite', 'bookworm']);
    assert.equal(sysroot.exitCode, 0, sysroot.stderr);
    const kbuild = await debianArm64Kbuild('trixie');
    const undeclared = (report: VerifyReport): string[][] =>
      report.findings.filter((f) => f.check === 'prerequisites-other').map((f) => [f.found ?? '', f.expected ?? '']);

    const own = await verifyJson([kbuild]);
    assert.deepEqual(undeclared(own.report), []);
    assert.match(own.report.libraryData ?? '', /^trixie arm64 package data \(.+ in linux-kbuild-\S+'s Depends\)$/);

    // Judged by bookworm's data, its t64 libraries look undeclared: what a cached bookworm sysroot did before.
    const bookworm = await verifyJson([kbuild, '--target-suite', 'bookworm']);
    assert.ok(
      undeclared(bookworm.report).some(([found, expected]) => found === 'libelf.so.1' && expected === 'libelf1'),
      JSON.stringify(undeclared(bookworm.report)),
    );
    assert.match(bookworm.report.libraryData ?? '', /^bookworm arm64 package data \(--target-suite\)$/);

    const unknown = await runKpkg(['verify', kbuild, '--target-suite', 'nosuchsuite']);
    assert.equal(unknown.exitCode, 2);
    assert.match(
      unknown.stderr,
      /^kpkg: error: cannot fetch the library data of nosuchsuite arm64 for the prerequisites check: .*does not have a Release file\.\)$/m,
    );
    assert.match(unknown.stderr, /fix: .*--target-suite none/);
    assert.doesNotMatch(unknown.stderr, /^(Err|Ign|Reading)/m, "one line, not apt's output");

    const conventions = await verifyJson([kbuild, '--target-suite', 'none']);
    assert.deepEqual(undeclared(conventions.report), []);
    assert.equal(conventions.report.libraryData, "Debian's naming conventions (--target-suite none)");
  });
});

describe(
  'kpkg verify on headers packages of the real 6.1 arm64 tiny tree',
  { timeout: KERNEL_BUILD_TIMEOUT_MS },
  () => {
    test("upstream's make bindeb-pkg headers fail: fixdep, modpost and the other host programs are x86-64", async () => {
      const r = await execa(`${REPO_ROOT}tools/upstream-debs`, ['--series', '6.1', '--config', 'tiny'], {
        stderr: 'pipe',
      });
      const dir = r.stdout.trim().split('\n').pop() ?? '';
      const headers = (await readdir(dir)).find((f) => f.startsWith('linux-headers-') && f.endsWith('.deb'));
      assert.ok(headers !== undefined, `no linux-headers deb in ${dir}`);
      const { exitCode, report } = await verifyJson([join(dir, headers)]);
      assert.equal(exitCode, 1);
      assert.deepEqual([report.target.arch, report.target.from], ['arm64', 'metadata']);
      const paths = machinePaths(report);
      for (const program of [
        'scripts/basic/fixdep',
        'scripts/mod/modpost',
        'scripts/genksyms/genksyms',
        'scripts/sorttable',
      ]) {
        assert.ok(
          paths.some((p) => p.endsWith(`/${program}`)),
          `${program} among ${paths.join(', ')}`,
        );
      }
      assert.ok(
        report.findings.some(
          (f) => f.check === 'elf-relocatable' && f.path?.endsWith('/scripts/mod/modpost.o') === true,
        ),
        'host objects left in the tree',
      );
      // Its programs need libc6 and it declares nothing: a warning (not kpkg's package).
      const undeclared = report.findings.filter((f) => f.check === 'prerequisites-other');
      assert.deepEqual(
        undeclared.map((f) => [f.severity, f.found, f.expected]),
        [['warning', 'libc.so.6', 'libc6']],
      );
      assert.equal(report.checks.find((c) => c.id === 'prerequisites')?.status, 'pass');

      const human = await runKpkg(['verify', join(dir, headers)]);
      assert.equal(human.exitCode, 1);
      assert.match(human.stdout, /^FAIL {2}elf-machine +ELF files are for the target machine .*\(\d+\)$/m);
      assert.match(
        human.stdout,
        /^ {8}\/usr\/src\/linux-headers-[^ ]+\/scripts\/basic\/fixdep \(linux-headers-[^)]+\): built for x86-64 64-bit little-endian, the target is AArch64 64-bit little-endian$/m,
      );
      assert.match(human.stdout, /^result: FAIL — \d+ errors, \d+ warnings, \d+ notes?$/m);
    });

    test("kpkg's own headers package passes", async (t) => {
      const tree = await builtKernelTree({ series: '6.1', config: 'tiny' });
      const out = await mkdtemp(join(tmpdir(), 'kpkg-verify-own-'));
      t.after(() => rm(out, { recursive: true, force: true }));
      const built = await runKpkg(['deb', '--only', 'headers', '--build-dir', tree, '--out', out, '--json']);
      assert.equal(built.exitCode, 0, built.stderr);
      const deb = (JSON.parse(built.stdout) as { packages: { path: string }[] }).packages[0]?.path ?? '';
      const { exitCode, report } = await verifyJson([deb]);
      assert.equal(
        exitCode,
        0,
        JSON.stringify(
          report.findings.filter((f) => f.severity === 'error'),
          null,
          1,
        ),
      );
      assert.equal(report.checks.find((c) => c.id === 'elf-machine')?.status, 'pass');
      assert.equal(report.checks.find((c) => c.id === 'headers-incomplete')?.status, 'pass');
      assert.equal(report.checks.find((c) => c.id === 'deb-md5sums')?.status, 'pass');
      assert.equal(report.checks.find((c) => c.id === 'prerequisites')?.status, 'pass');
      assert.deepEqual(
        report.findings.filter((f) => f.check.startsWith('prerequisites')),
        [],
      );
      const human = await runKpkg(['verify', deb, '--arch', 'aarch64']);
      assert.equal(human.exitCode, 0, human.stderr);
      assert.match(
        human.stdout,
        /^target: arm64 — AArch64 64-bit little-endian, loader \/lib\/ld-linux-aarch64\.so\.1 \(from --arch aarch64\)$/m,
      );
      assert.match(human.stdout, /^result: PASS — 0 errors/m);
    });
  },
);
