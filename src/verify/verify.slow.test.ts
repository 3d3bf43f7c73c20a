import assert from 'node:assert/strict';
import { rm, symlink, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import {
  buildDeb,
  buildDebByHand,
  buildPacman,
  buildRpm,
  buildTarball,
  md5sumsOf,
  MINI_RELEASE,
  miniHeadersRoot,
  tool,
  type MiniTreeOptions,
} from '../testing/verify-packages.js';
import { assertClean, pathsOf, statusOf, TREE, verifyFiles } from '../testing/verify-report.js';

// verify on packages made by the real tools: dpkg-deb, rpmbuild, GNU ar and tar (not in
// test:unit; the checks on directories are in verify.test.ts).

const cleanup: string[] = [];
after(async () => {
  for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
});

async function root(options: MiniTreeOptions = {}): Promise<string> {
  const dir = await miniHeadersRoot(options);
  cleanup.push(dir);
  return dir;
}

describe('verify reads every input format (made by the real tools) without extracting anything', () => {
  it('.deb with xz, zstd, gzip and uncompressed members (dpkg-deb), md5sums checked', async () => {
    for (const compression of ['xz', 'zstd', 'gzip', 'none'] as const) {
      const dir = await root();
      const deb = await buildDeb(
        dir,
        { package: 'linux-headers-test', architecture: 'arm64' },
        { compression, md5sums: await md5sumsOf(dir) },
      );
      const report = await verifyFiles([deb]);
      assertClean(report, compression);
      assert.equal(statusOf(report, 'deb-md5sums'), 'pass');
      assert.equal(statusOf(report, 'deb-control'), 'pass');
      assert.deepEqual(
        [report.target.from, report.packages[0]?.format, report.packages[0]?.elfFiles],
        ['metadata', 'deb', 2],
      );
    }
  });

  it('.deb with bzip2 and gzip members assembled with GNU ar and tar', async () => {
    for (const compression of ['bzip2', 'gzip'] as const) {
      const dir = await root();
      const report = await verifyFiles([
        await buildDebByHand(
          dir,
          'Package: by-hand\nVersion: 1\nArchitecture: arm64\nMaintainer: t <t@t.invalid>\nDescription: x\n',
          compression,
        ),
      ]);
      assert.equal(report.packages[0]?.name, 'by-hand', compression);
      assert.equal(report.findings.filter((f) => f.severity === 'error').length, 0, JSON.stringify(report.findings));
      assert.equal(statusOf(report, 'deb-md5sums-incomplete'), 'fail', 'no md5sums member is a warning');
    }
  });

  it('.rpm (rpmbuild) with gzip, xz, zstd and bzip2 payloads, target from the rpm arch', async () => {
    const dir = await root();
    for (const payload of ['gzip', 'xz', 'zstd', 'bzip2'] as const) {
      const report = await verifyFiles([await buildRpm(dir, { name: 'kernel-devel-test', arch: 'aarch64', payload })]);
      assertClean(report, payload);
      assert.deepEqual(
        [report.packages[0]?.format, report.packages[0]?.arch, report.target.from],
        ['rpm', 'aarch64', 'metadata'],
      );
      assert.equal(statusOf(report, 'deb-control'), 'n/a');
    }
  });

  it('.pkg.tar.zst and .pkg.tar.xz (tar + .PKGINFO), target from .PKGINFO arch', async () => {
    for (const compression of ['zstd', 'xz'] as const) {
      const dir = await root();
      const report = await verifyFiles([
        await buildPacman(dir, { name: 'linux-headers-test', arch: 'aarch64', compression }),
      ]);
      assertClean(report, compression);
      assert.deepEqual(
        [report.packages[0]?.format, report.packages[0]?.name, report.target.detail],
        ['pacman', 'linux-headers-test', '.PKGINFO arch of linux-headers-test (aarch64)'],
      );
    }
  });

  it('.tar, .tar.gz, .tar.xz and .tar.zst, target from the shipped configuration, else most ELF files', async () => {
    const dir = await root();
    for (const compression of ['none', 'gzip', 'xz', 'zstd'] as const) {
      const report = await verifyFiles([await buildTarball(dir, compression)]);
      assertClean(report, compression);
      assert.deepEqual(
        [report.target.from, report.target.detail],
        [
          'config',
          `kernel configuration ${TREE}/include/config/auto.conf (CONFIG_ARM64=y, CONFIG_CPU_BIG_ENDIAN not set)`,
        ],
      );
    }
    const unconfigured = await verifyFiles([
      await buildTarball(await root({ omit: ['include/config/auto.conf'] }), 'gzip'),
    ]);
    assert.equal(unconfigured.target.from, 'elf');
    assert.match(unconfigured.target.detail, /2 of 2 are AArch64 64-bit little-endian/);
  });
});

describe('verify checks on packages', () => {
  it('host programs built for x86-64 fail elf-machine with --arch arm64, by name', async () => {
    const dir = await root({ programsFor: 'amd64' });
    const report = await verifyFiles([await buildTarball(dir)], 'arm64');
    assert.equal(report.result, 'fail');
    assert.deepEqual(pathsOf(report, 'elf-machine').sort(), [
      `${TREE}/scripts/basic/fixdep`,
      `${TREE}/scripts/mod/modpost`,
    ]);
    assert.equal(report.findings.find((f) => f.check === 'elf-machine')?.found, 'x86-64 64-bit little-endian');
    assert.deepEqual([report.target.from, report.target.detail], ['option', '--arch arm64']);
  });

  it('a package declaring another architecture fails package-arch', async () => {
    const dir = await root();
    const report = await verifyFiles(
      [await buildDeb(dir, { package: 'linux-headers-test', architecture: 'amd64' })],
      'aarch64',
    );
    assert.deepEqual(
      report.findings.filter((f) => f.check === 'package-arch').map((f) => [f.found, f.expected]),
      [['amd64', 'arm64']],
    );
  });

  it('a tree split across packages with symlinks (like Debian) passes only when verified together', async () => {
    // Package A: the tree, whose scripts/ is a symlink into package B (like linux-kbuild).
    const kbuild = await root();
    const tree = await root();
    await rm(join(tree, TREE.slice(1), 'scripts'), { recursive: true });
    await symlink('../../lib/linux-kbuild-test/scripts', join(tree, TREE.slice(1), 'scripts'));
    await rm(join(kbuild, 'usr/src'), { recursive: true });
    await rm(join(kbuild, 'lib'), { recursive: true });
    await mkdir(join(kbuild, 'usr/lib/linux-kbuild-test'), { recursive: true });
    const original = await root();
    await tool('cp', ['-a', join(original, TREE.slice(1), 'scripts'), join(kbuild, 'usr/lib/linux-kbuild-test/')]);
    const headersDeb = await buildDeb(
      tree,
      { package: 'linux-headers-test', architecture: 'arm64' },
      { md5sums: await md5sumsOf(tree) },
    );
    const kbuildDeb = await buildDeb(
      kbuild,
      { package: 'linux-kbuild-test', architecture: 'arm64' },
      { md5sums: await md5sumsOf(kbuild) },
    );
    const together = await verifyFiles([headersDeb, kbuildDeb]);
    assert.deepEqual(together.findings, []);
    const alone = await verifyFiles([headersDeb]);
    assert.deepEqual(pathsOf(alone, 'headers-incomplete').sort(), [
      `${TREE}/scripts/basic/fixdep`,
      `${TREE}/scripts/mod/modpost`,
    ]);
    assert.match(
      alone.findings[0]?.message ?? '',
      /leads through .*scripts -> \.\.\/\.\.\/lib\/linux-kbuild-test\/scripts to \/usr\/lib\/linux-kbuild-test\/scripts\/basic\/fixdep, which none of the verified packages ships/,
    );
  });

  it('deb: md5sums that do not match, files md5sums leaves out, missing control fields', async () => {
    const dir = await root();
    const sums = (await md5sumsOf(dir)).split('\n').filter((l) => l !== '');
    const tampered = sums
      .map((line) => (line.endsWith(`${MINI_RELEASE}/Makefile`) ? `${'0'.repeat(32)}${line.slice(32)}` : line))
      .filter((line) => !line.endsWith('/Module.symvers'));
    const deb = await buildDeb(
      dir,
      { package: 'linux-headers-test', architecture: 'arm64', omit: ['Maintainer'] },
      { md5sums: `${[...tampered, `${'1'.repeat(32)}  usr/src/not-shipped`].join('\n')}\n` },
    );
    const report = await verifyFiles([deb]);
    assert.deepEqual(
      report.findings
        .filter((f) => f.check === 'deb-md5sums')
        .map((f) => f.path)
        .sort(),
      [`${TREE}/Makefile`, '/usr/src/not-shipped'],
    );
    assert.deepEqual(pathsOf(report, 'deb-md5sums-incomplete'), [`${TREE}/Module.symvers`]);
    assert.deepEqual(
      report.findings.filter((f) => f.check === 'deb-control').map((f) => f.message),
      ['control field Maintainer is missing'],
    );
  });

  it("shared libraries the programs need must be declared: a warning for others' packages, an error for kpkg's", async () => {
    const dir = await root();
    const bare = await buildDeb(
      dir,
      { package: 'linux-headers-test', architecture: 'arm64', depends: '' },
      { md5sums: await md5sumsOf(dir) },
    );
    const report = await verifyFiles([bare]);
    assert.deepEqual(
      report.findings.map((f) => [f.check, f.severity, f.found, f.expected]),
      [['prerequisites-other', 'warning', 'libc.so.6', 'libc6']],
    );
    assert.match(
      report.findings[0]?.message ?? '',
      /scripts\/(basic\/fixdep|mod\/modpost).* need libc\.so\.6, but linux-headers-test declares no dependency that provides it/,
    );
    assert.equal(report.result, 'pass');
    // The same package with kpkg's changelog: kpkg's own packages must declare what they need.
    const doc = join(dir, 'usr/share/doc/linux-headers-test');
    await mkdir(doc, { recursive: true });
    await writeFile(
      join(doc, 'changelog.Debian.gz'),
      gzipSync(
        'linux-upstream (1.0) unstable; urgency=low\n\n  * Custom built Linux kernel 6.1.99, packaged by kpkg.\n',
      ),
    );
    const ours = await verifyFiles([
      await buildDeb(
        dir,
        { package: 'linux-headers-test', architecture: 'arm64', depends: '' },
        { md5sums: await md5sumsOf(dir) },
      ),
    ]);
    assert.deepEqual(
      ours.findings.map((f) => [f.check, f.severity]),
      [['prerequisites', 'error']],
    );
    assert.equal(ours.result, 'fail');
    // An alternative counts, and so does another name that provides the soname (no data here: conventions).
    for (const depends of ['libc6', 'libc6 (>= 2.36) | libc6.1']) {
      assert.deepEqual(
        (
          await verifyFiles([
            await buildDeb(
              dir,
              { package: 'linux-headers-test', architecture: 'arm64', depends },
              { md5sums: await md5sumsOf(dir) },
            ),
          ])
        ).findings,
        [],
        depends,
      );
    }
  });

  it('two packages shipping one path are a set-conflict warning', async () => {
    const a = await buildDeb(await root(), { package: 'a', architecture: 'arm64' });
    const b = await buildDeb(await root(), { package: 'b', architecture: 'arm64' });
    const report = await verifyFiles([a, b]);
    assert.ok(pathsOf(report, 'set-conflict').includes(`${TREE}/Makefile`));
    assert.equal(report.counts.error, 0);
  });
});
