import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CompressionKind } from '../../archive/compress.js';
import { debPackager } from '../../formats/deb/packager.js';
import type { Packager } from '../../formats/packager.js';
import { pacmanPackager } from '../../formats/pacman/write-pacman.js';
import { rpmPackager } from '../../formats/rpm/write-rpm.js';
import { tarballPackager } from '../../formats/tar/write-tarball.js';
import type { PackageDescription } from '../../package/model.js';
import { KpkgError } from '../../util/errors.js';
import { debInstaller } from './deb.js';
import { commonFormat, installerFor } from '../detect.js';
import type { SmokeInputFormat } from './installer.js';
import { PACMAN_CONF, pacmanConf, pacmanInstaller, pacmanProblems } from './pacman.js';
import { RPM_DBPATH, rpmInstaller } from './rpm.js';
import { isPacmanName, sniffInput } from './sniff.js';
import { tarInstaller } from './tar.js';
import { headersDescription, TEST_RELEASE, writeTestPackage } from '../../testing/install-packages.js';

const RELEASE = TEST_RELEASE;
let work = '';
const write = (
  packager: Packager,
  pkg: PackageDescription,
  compression: CompressionKind,
  name?: string,
): Promise<string> => writeTestPackage(work, packager, pkg, compression, name);

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-smoke-install-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('input formats', () => {
  test("each writer's output is recognized by its contents; pacman by name or by its .PKGINFO", async () => {
    const deb = await write(
      debPackager,
      headersDescription('linux-headers-x', `/usr/src/linux-headers-${RELEASE}`),
      'xz',
    );
    const rpm = await write(rpmPackager, headersDescription('kernel-devel', `/usr/src/kernels/${RELEASE}`), 'xz');
    const pacman = await write(
      pacmanPackager,
      headersDescription('linux-upstream-headers', `/usr/lib/modules/${RELEASE}/build`),
      'zstd',
    );
    const pacmanRenamed = await write(
      pacmanPackager,
      headersDescription('linux-upstream-headers', `/usr/lib/modules/${RELEASE}/build`),
      'xz',
      'headers.tar.xz',
    );
    const tar = await write(
      tarballPackager,
      headersDescription('linux', `/lib/modules/${RELEASE}/build`),
      'gzip',
      'linux.tar.gz',
    );
    const plain = await write(
      tarballPackager,
      headersDescription('linux', `/lib/modules/${RELEASE}/build`),
      'none',
      'linux.tar',
    );
    const seen: Record<string, string> = {};
    for (const [label, file] of Object.entries({ deb, rpm, pacman, pacmanRenamed, tar, plain })) {
      const sniffed = await sniffInput(file);
      seen[label] = `${sniffed.format}/${sniffed.compression}`;
    }
    assert.deepEqual(seen, {
      deb: 'deb/none',
      rpm: 'rpm/none',
      pacman: 'pacman/zstd',
      pacmanRenamed: 'pacman/xz',
      tar: 'tar/gzip',
      plain: 'tar/none',
    });
    assert.equal((await installerFor([rpm])).format, 'rpm');
    await assert.rejects(
      installerFor([deb, rpm]),
      (e: unknown) =>
        e instanceof KpkgError &&
        e.exitCode === 2 &&
        !e.format().includes('\n') &&
        /one format per run: .*\.deb is deb, kernel-devel.*\.rpm is rpm$/.test(e.message),
    );
  });

  test('pacman file names; anything else is refused with exit status 2', async () => {
    assert.equal(isPacmanName('/x/linux-upstream-headers-6.1.192-1-aarch64.pkg.tar.zst'), true);
    assert.equal(isPacmanName('linux-6.1.pkg.tar'), true);
    assert.equal(isPacmanName('linux-6.1.192-arm64.tar.gz'), false);
    const junk = join(work, 'junk.bin');
    await writeFile(junk, 'not a package at all');
    await assert.rejects(
      sniffInput(junk),
      (e: unknown) =>
        e instanceof KpkgError && e.exitCode === 2 && /not a package kpkg smoke can install/.test(e.message),
    );
    await assert.rejects(
      sniffInput(join(work, 'missing.rpm')),
      (e: unknown) => e instanceof KpkgError && e.exitCode === 2,
    );
  });

  test('commonFormat', () => {
    const f = (file: string, format: SmokeInputFormat): { file: string; format: SmokeInputFormat } => ({
      file,
      format,
    });
    assert.equal(commonFormat([f('a.rpm', 'rpm'), f('b.rpm', 'rpm')]), 'rpm');
    assert.throws(() => commonFormat([]), /at least one/);
    assert.throws(
      () => commonFormat([f('/x/a.tar', 'tar'), f('/y/b.pkg.tar.zst', 'pacman')]),
      /a\.tar is tar, b\.pkg\.tar\.zst is pacman$/,
    );
  });
});

describe('install commands', () => {
  const files = ['/tmp/kpkg-packages/a', '/tmp/kpkg-packages/b'];
  test('deb: dpkg -i of all of them at once; the headers after the others, as when they come after the kernel', () => {
    assert.deepEqual(debInstaller.commands(files), [['dpkg', '--force-unsafe-io', '--install', ...files]]);
    const dir = '/tmp/kpkg-packages';
    const image = `${dir}/linux-image-6.1.0_6.1.0-1_arm64.deb`;
    const headers = [`${dir}/linux-headers-6.1.0_6.1.0-1_arm64.deb`, `${dir}/linux-kbuild-6.1_6.1.0-1_arm64.deb`];
    const probe = `${dir}/hook-probe_1_all.deb`;
    assert.deepEqual(debInstaller.commands([...headers, probe, image]), [
      ['dpkg', '--force-unsafe-io', '--install', probe, image],
      ['dpkg', '--force-unsafe-io', '--install', ...headers],
    ]);
    assert.deepEqual(debInstaller.commands(headers), [['dpkg', '--force-unsafe-io', '--install', ...headers]]);
  });
  test('rpm: initialise the database where the system keeps it, then rpm -i -v --nodeps', async () => {
    assert.deepEqual(rpmInstaller.commands(files), [
      ['rpm', '--dbpath', RPM_DBPATH, '--initdb'],
      ['rpm', '--dbpath', RPM_DBPATH, '-i', '-v', '--nodeps', ...files],
    ]);
    assert.deepEqual(await rpmInstaller.rootfsPackages(files), ['rpm']);
  });
  test('pacman: its own config (no CheckSpace, no signatures), -U --nodeps --nodeps, warnings are failures', async () => {
    const [mkdir, pacman] = pacmanInstaller.commands(files);
    assert.deepEqual(mkdir, ['mkdir', '-p', '/var/lib/pacman', '/var/cache/pacman/pkg', '/var/log']);
    assert.deepEqual(pacman?.slice(0, 5), ['pacman', '-U', '--noconfirm', '--nodeps', '--nodeps']);
    assert.deepEqual(pacman?.slice(-2), files);
    assert.equal(pacman?.[pacman.indexOf('--config') + 1], PACMAN_CONF);
    assert.deepEqual(Object.keys(pacmanInstaller.setupFiles?.() ?? {}), [PACMAN_CONF]);
    const conf = pacmanConf();
    assert.match(conf, /^\[options\]$/m);
    assert.match(conf, /^Architecture = auto .*\baarch64\b.*\barmv7h\b/m);
    assert.match(conf, /^SigLevel = Never$/m);
    assert.doesNotMatch(conf, /CheckSpace/);
    assert.deepEqual(await pacmanInstaller.rootfsPackages(files), ['pacman-package-manager']);
    const clean = 'loading packages...\n:: Processing package changes...\ninstalling linux-upstream-headers...\n';
    assert.deepEqual(pacmanProblems(clean), []);
    assert.equal(pacmanInstaller.problemIn?.(clean), undefined);
    const skipped = `${clean}warning: directory permissions differ on /usr/lib/\nfilesystem: 755  package: 700\nerror: could not extract /lib (Can't replace existing directory with non-directory)\n`;
    assert.deepEqual(pacmanProblems(skipped), [
      'warning: directory permissions differ on /usr/lib/',
      "error: could not extract /lib (Can't replace existing directory with non-directory)",
    ]);
    assert.match(
      pacmanInstaller.problemIn?.(skipped) ?? '',
      /^pacman did not install everything as packaged:\nwarning: directory permissions/,
    );
  });
  test('tar: each tarball unpacked at / keeping the merged-/usr symlinks; the decompressor is in the rootfs', async () => {
    assert.deepEqual(
      tarInstaller.commands(files),
      files.map((f) => ['tar', '-xf', f, '-C', '/', '--keep-directory-symlink']),
    );
    const pkg = headersDescription('linux', `/lib/modules/${RELEASE}/build`);
    const kinds: Record<string, string[]> = {};
    for (const compression of ['gzip', 'xz', 'zstd', 'none'] as const) {
      kinds[compression] = await tarInstaller.rootfsPackages([
        await write(tarballPackager, pkg, compression, `t-${compression}.tar`),
      ]);
    }
    assert.deepEqual(kinds, { gzip: [], xz: ['xz-utils'], zstd: ['zstd'], none: [] });
  });
});
