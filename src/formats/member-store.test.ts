/**
 * Every writer with kpkg's build cache as its member store (what `kpkg deb|rpm|pacman|tar` hands
 * it): the store never changes a byte, a second write of the same package compresses nothing, a
 * prepared package's write compresses nothing, and a changed file is compressed anew.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CompressionKind } from '../archive/compress.js';
import { BuildCache } from '../cache/build-cache.js';
import type { PackageDescription } from '../package/model.js';
import { countingStore } from '../testing/counting-store.js';
import { samplePackage, toolBytes } from '../testing/sample-deb.js';
import { debPackager } from './deb/packager.js';
import type { Packager, WriteOptions } from './packager.js';
import { pacmanPackager } from './pacman/write-pacman.js';
import { rpmPackager } from './rpm/write-rpm.js';
import { tarballPackager } from './tar/write-tarball.js';

const sha = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Whether a new version needs anything compressed: only where the version is inside a compressed member. */
const VERSION_IN_MEMBER: Readonly<Record<Packager['format'], boolean>> = {
  deb: true,
  rpm: false,
  pacman: true,
  tar: false,
};

let work = '';
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-member-store-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

for (const packager of [debPackager, rpmPackager, pacmanPackager, tarballPackager]) {
  for (const compression of new Set<CompressionKind>([packager.compressions[0] ?? 'xz', 'xz'])) {
    void describe(`${packager.format} packages (${compression}) with a member store`, () => {
      let dir = '';
      let pkg: PackageDescription;
      let cache: BuildCache | undefined;
      let n = 0;
      const write = async (description: PackageDescription, options: WriteOptions): Promise<Buffer> => {
        const path = join(dir, `${String(n++)}-${packager.fileName(description, options)}`);
        await packager.write(description, path, options);
        return readFile(path);
      };
      before(async () => {
        dir = join(work, `${packager.format}-${compression}`);
        await mkdir(dir);
        pkg = { ...(await samplePackage(dir)), depends: [{ name: 'kmod' }] }; // no alternatives: pacman has none
        cache = await BuildCache.open({ cacheDir: join(dir, 'cache'), enabled: true });
      });
      after(async () => {
        await cache?.close();
      });

      void it('writes the same bytes as without one; a second write and a prepared write compress nothing; a new version and a changed file anew', async () => {
        assert.ok(cache !== undefined);
        const store = countingStore(cache);
        const plain = await write(pkg, { compression });
        assert.equal(
          sha(await write(pkg, { compression, members: store })),
          sha(plain),
          'with a store: the same bytes',
        );
        const first = store.made;
        assert.ok(first > 0, 'the first write filled the store');
        assert.equal(
          sha(await write(pkg, { compression, members: store })),
          sha(plain),
          'from the store: the same bytes',
        );
        assert.equal(store.made, first, 'a second write of the same package compressed nothing');

        const renamed = { ...pkg, version: '1.0-2' };
        const plainRenamed = await write(renamed, { compression });
        const before = store.made;
        assert.equal(
          sha(await write(renamed, { compression, members: store })),
          sha(plainRenamed),
          'a new version: the same bytes as without a store',
        );
        const versionCost = store.made - before;
        assert.equal(
          versionCost > 0,
          VERSION_IN_MEMBER[packager.format],
          VERSION_IN_MEMBER[packager.format]
            ? 'the member with the version is compressed anew'
            : 'a new version compressed nothing: the files alone are in the compressed member',
        );

        // The same size, other bytes: only the file's state on disk tells the difference.
        await writeFile(join(dir, 'src', 'tool'), Buffer.from(toolBytes.map((b) => b ^ 0xff)));
        const unchanged = store.made;
        if (packager.prepare !== undefined) {
          await packager.prepare(pkg, { compression, members: store });
          assert.ok(store.made > unchanged, 'prepare compressed the changed files');
        }
        const prepared = store.made;
        const changed = await write(pkg, { compression, members: store });
        assert.ok(store.made > unchanged, 'a changed file is compressed anew');
        // After prepare, what is left is what depends on more than the files (deb: control.tar with the md5sums).
        if (packager.prepare !== undefined)
          assert.ok(
            store.made - prepared <= versionCost,
            `the write after prepare compressed only the metadata (${String(store.made - prepared)} entries)`,
          );
        assert.notEqual(sha(changed), sha(plain));
        assert.equal(sha(changed), sha(await write(pkg, { compression })), 'and written as without a store');
      });
    });
  }
}
