import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { debPackager } from '../formats/deb/packager.js';
import { pacmanPackager } from '../formats/pacman/write-pacman.js';
import { headersDescription, TEST_RELEASE, writeTestPackage } from '../testing/install-packages.js';
import { smokeRootfsSpec } from './smoke-rootfs-spec.js';

const work = await mkdtemp(join(tmpdir(), 'kpkg-rootfs-spec-'));
after(() => rm(work, { recursive: true, force: true }));

const where = { cacheDir: work, suite: 'bookworm', mirror: 'http://deb.debian.org/debian' };

test("a bare rootfs has no compiler but the one a .deb's Depends bring", async () => {
  const deb = await writeTestPackage(
    work,
    debPackager,
    {
      ...headersDescription(`linux-headers-${TEST_RELEASE}`, `/usr/src/linux-headers-${TEST_RELEASE}`),
      depends: [{ name: 'gcc-12' }, { name: 'gcc' }],
    },
    'xz',
  );
  const bare = await smokeRootfsSpec({ debianArch: 'arm64', packages: [deb], bareRootfs: true, ...where });
  assert.ok(!bare.packages.includes('libc6-dev'), bare.packages.join(' '));
  assert.ok(bare.packages.includes('gcc-12') && bare.packages.includes('gcc'), bare.packages.join(' '));
  // The same package without its compiler relations: nothing builds modules in that rootfs.
  const undeclared = await writeTestPackage(
    work,
    debPackager,
    headersDescription(`linux-headers-${TEST_RELEASE}`, `/usr/src/linux-headers-${TEST_RELEASE}`),
    'xz',
    'undeclared.deb',
  );
  const none = await smokeRootfsSpec({ debianArch: 'arm64', packages: [undeclared], bareRootfs: true, ...where });
  assert.deepEqual(
    none.packages.filter((p) => /^(gcc|clang|libc6-dev)/.test(p)),
    [],
  );
  const full = await smokeRootfsSpec({ debianArch: 'arm64', packages: [undeclared], ...where });
  assert.ok(full.packages.includes('gcc') && full.packages.includes('libc6-dev'));
});

test('formats without Debian relations get the kernel compiler by the plain names they declare', async () => {
  const pacman = await writeTestPackage(
    work,
    pacmanPackager,
    headersDescription('linux-upstream-headers', `/usr/lib/modules/${TEST_RELEASE}/build`, { clang: true }),
    'zstd',
  );
  const spec = await smokeRootfsSpec({
    debianArch: 'arm64',
    packages: [pacman],
    bareRootfs: true,
    compiler: { kind: 'clang', major: 14, versionText: '', llvm: true, llvmSuffixes: true },
    ...where,
  });
  assert.ok(['clang', 'lld', 'llvm', 'pacman-package-manager'].every((p) => spec.packages.includes(p)));
  assert.ok(!spec.packages.includes('gcc'), spec.packages.join(' '));
});
