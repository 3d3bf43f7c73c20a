import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { debPackager } from '../formats/deb/packager.js';
import type { Packager } from '../formats/packager.js';
import { pacmanPackager } from '../formats/pacman/write-pacman.js';
import { rpmPackager } from '../formats/rpm/write-rpm.js';
import { tarballPackager } from '../formats/tar/write-tarball.js';
import { buildPackages } from './build-packages.js';
import type { BuildOptions } from './build-types.js';
import { checkBuildOptions, checkOutOutsideTree } from './check-options.js';

const work = await mkdtemp(join(tmpdir(), 'kpkg-check-options-'));
after(() => rm(work, { recursive: true, force: true }));

function options(more: Partial<BuildOptions<string>> = {}): BuildOptions<string> {
  return { buildDir: '/nonexistent/tree', vars: {}, out: join(work, 'out'), ...more };
}

/** `run` throws a usage error (exit 2) whose message matches `message`. */
function assertUsage(run: () => unknown, message: RegExp): void {
  assert.throws(run, (e: Error & { exitCode?: number }) => {
    assert.match(e.message, message);
    assert.equal(e.exitCode, 2, e.message);
    return true;
  });
}

/** Runs `body` with SOURCE_DATE_EPOCH set to `value`, then puts it back. */
function withEpoch(value: string, body: () => void): void {
  const saved = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = value;
  try {
    body();
  } finally {
    if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = saved;
  }
}

describe('every option of a package command is checked before any work (exit 2)', () => {
  it('--level against the compressor that will be used: xz 0-9, zstd 1-22 (--ultra past 19), gzip 0-9', () => {
    assert.equal(checkBuildOptions(debPackager, options({ level: 9 })), 'xz');
    assertUsage(
      () => checkBuildOptions(debPackager, options({ level: 99 })),
      /level 99 is out of range for xz \(0-9\)/,
    );
    assert.equal(checkBuildOptions(debPackager, options({ compression: 'zstd', level: 22 })), 'zstd');
    assertUsage(
      () => checkBuildOptions(pacmanPackager, options({ level: 0 })),
      /level 0 is out of range for zstd \(1-22\)/,
    );
    assertUsage(
      () => checkBuildOptions(rpmPackager, options({ compression: 'gzip', level: 10 })),
      /level 10 is out of range for gzip \(0-9\)/,
    );
    assertUsage(
      () => checkBuildOptions(rpmPackager, options({ compression: 'none' })),
      /rpm packages cannot be compressed with none/,
    );
  });

  it("--pkg-version by the family's own rules", () => {
    assertUsage(
      () => checkBuildOptions(debPackager, options({ version: 'bad version' })),
      /"bad version" is not a valid package version/,
    );
    assertUsage(
      () => checkBuildOptions(debPackager, options({ version: '6.1-' })),
      /invalid version "6\.1-" for a \.deb/,
    );
    assertUsage(
      () => checkBuildOptions(rpmPackager, options({ version: '6.1' })),
      /'6\.1' has no release, which rpm needs/,
    );
    assertUsage(() => checkBuildOptions(pacmanPackager, options({ version: '6.1-x' })), /cannot be a pacman version/);
    for (const packager of [debPackager, rpmPackager, pacmanPackager, tarballPackager] as Packager[])
      checkBuildOptions(packager, options({ version: '1:6.1.192-3' }));
    checkBuildOptions(tarballPackager, options({ version: '6.1' }));
  });

  it('--revision, --maintainer: one printable line everywhere, "Name <email>" for deb', () => {
    assertUsage(() => checkBuildOptions(rpmPackager, options({ revision: '1 2' })), /"1 2" is not a valid revision/);
    const spoof = 'Jane <jane@example.org>\nDepends: evil';
    for (const packager of [debPackager, rpmPackager, pacmanPackager, tarballPackager] as Packager[])
      assertUsage(() => checkBuildOptions(packager, options({ maintainer: spoof })), /one line of printable text/);
    assertUsage(
      () => checkBuildOptions(debPackager, options({ maintainer: 'nobody' })),
      /invalid maintainer "nobody" for a \.deb: expected "Name <email>"/,
    );
    checkBuildOptions(debPackager, options({ maintainer: 'Jane Doe <jane@example.org>' }));
    checkBuildOptions(rpmPackager, options({ maintainer: 'nobody' }));
  });

  it('SOURCE_DATE_EPOCH a non-negative whole number, and a time the format holds', () => {
    for (const bad of ['abc', '-5', '1.5', '1e9', '99999999999999999999'])
      withEpoch(bad, () =>
        assertUsage(
          () => checkBuildOptions(tarballPackager, options()),
          /^SOURCE_DATE_EPOCH=".*" is not a whole number/,
        ),
      );
    withEpoch('1700000000', () => checkBuildOptions(rpmPackager, options()));
    withEpoch('', () => checkBuildOptions(rpmPackager, options()));
    assertUsage(
      () => checkBuildOptions(rpmPackager, options({ sourceDateEpoch: 2 ** 32 })),
      /4294967296 does not fit rpm's 32-bit times/,
    );
    checkBuildOptions(debPackager, options({ sourceDateEpoch: 2 ** 32 }));
    assertUsage(
      () => checkBuildOptions(debPackager, options({ sourceDateEpoch: 10 ** 12 })),
      /does not fit a \.deb's ar headers/,
    );
  });

  it('kpkg deb/rpm/pacman/tar refuse a bad option before reading the tree (which here does not exist)', async () => {
    await assert.rejects(buildPackages(debPackagerLayout(), debPackager, options({ level: 99 })), {
      message: /level 99 is out of range/,
      exitCode: 2,
    });
  });
});

/** A layout buildPackages never reaches: the options are refused first. */
function debPackagerLayout(): Parameters<typeof buildPackages>[0] {
  return new Proxy({} as Parameters<typeof buildPackages>[0], {
    get: () => {
      throw new Error('the layout was used before the options were checked');
    },
  });
}

describe('--out inside the build or source tree is refused (real paths)', () => {
  const tree = { objtree: join(work, 'obj'), srctree: join(work, 'src') };

  it('inside either tree, itself, or through a link; beside them it is fine', async () => {
    await mkdir(tree.objtree, { recursive: true });
    await mkdir(join(tree.srctree, 'sub'), { recursive: true });
    await symlink(tree.objtree, join(work, 'link-to-obj'));
    for (const out of [
      join(tree.objtree, 'debs'),
      tree.objtree,
      join(tree.srctree, 'sub', 'new', 'out'),
      join(work, 'link-to-obj', 'debs'),
      `${tree.objtree}/../obj/debs`,
    ])
      await assert.rejects(checkOutOutsideTree(out, tree), (e: Error & { exitCode?: number }) => {
        assert.match(e.message, /^--out .* is inside the (build|source) tree /);
        assert.equal(e.exitCode, 2);
        return true;
      });
    for (const out of [join(work, 'debs'), join(work, 'obj-debs'), join(work, 'srcx')])
      await checkOutOutsideTree(out, tree);
  });
});
