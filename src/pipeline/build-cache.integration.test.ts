/**
 * The pipeline's promises on a real tree (6.1 arm64 tiny, the CI tier's): the packages do not depend
 * on --jobs or on the build cache, a warm re-run takes every step from the cache, and a change to
 * an input of a step makes that step run again (and only its dependants change).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { builtKernelTree, KERNEL_BUILD_TIMEOUT_MS } from '../testing/kernel-trees.js';
import { overlayTree, type OverlayTree } from '../testing/overlay-tree.js';
import { runKpkg } from '../testing/run-kpkg.js';
import { kpkgCacheDir } from '../util/cache.js';

async function digests(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of (await readdir(dir)).sort())
    out.set(
      name,
      createHash('sha256')
        .update(await readFile(join(dir, name)))
        .digest('hex'),
    );
  return out;
}

/** The sha256 of each block of a .deb's data.tar.xz (xz --robot --list gives where each is). */
async function dataBlocks(deb: string): Promise<string[]> {
  const member = `${deb}.data.tar.xz`; // xz --list reads files only
  await execa('sh', ['-c', 'ar p "$1" data.tar.xz > "$2"', 'sh', deb, member]);
  const data = await readFile(member);
  const listed = (await execa('xz', ['--robot', '--list', '-vv', member])).stdout;
  await rm(member);
  return listed
    .split('\n')
    .filter((l) => l.startsWith('block\t'))
    .map((l) => l.split('\t'))
    .map((f) =>
      createHash('sha256')
        .update(data.subarray(Number(f[4]), Number(f[4]) + Number(f[6])))
        .digest('hex'),
    );
}

/** The build cache's entries of one kind (build-cache.ts: <cache>/build/v1/<kind>/<key>). */
async function cacheEntries(kind: string): Promise<Set<string>> {
  return new Set(await readdir(join(kpkgCacheDir(), 'build', 'v1', kind)).catch(() => []));
}

const FROM_CACHE = {
  programs: /host programs from the build cache/,
  image: /modules_install output from the build cache/,
  uapi: /headers_install output from the build cache/,
};

describe(
  'kpkg deb: --jobs, the build cache and its invalidation on the 6.1 arm64 tiny tree',
  { timeout: KERNEL_BUILD_TIMEOUT_MS },
  () => {
    let work: string;
    let overlay: OverlayTree;
    const deb = async (out: string, ...extra: string[]): Promise<{ files: Map<string, string>; stderr: string }> => {
      const r = await runKpkg(['deb', '--build-dir', overlay.dir, '--out', join(work, out), ...extra]);
      assert.equal(r.exitCode, 0, r.stderr);
      return { files: await digests(join(work, out)), stderr: r.stderr };
    };

    before(async () => {
      // An overlay of the cached tree: this test changes files, the other tests must not see it.
      overlay = await overlayTree(await builtKernelTree({ series: '6.1', config: 'tiny' }));
      work = await mkdtemp(join(tmpdir(), 'kpkg-cache-it-'));
    });
    after(async () => {
      await overlay.dispose();
      await rm(work, { recursive: true, force: true });
    });

    let reference: Map<string, string>;
    test('--jobs 1 and --jobs 4 write byte-identical packages (no cache)', async () => {
      const one = await deb('jobs1', '--jobs', '1', '--no-cache');
      const four = await deb('jobs4', '--jobs', '4', '--no-cache');
      assert.equal(
        one.files.size,
        5,
        `three packages, the .buildinfo and the .changes: ${[...one.files.keys()].join(', ')}`,
      );
      assert.deepEqual(four.files, one.files);
      for (const pattern of Object.values(FROM_CACHE)) assert.doesNotMatch(one.stderr, pattern);
      reference = one.files;
    });

    test('a run that fills the cache and a warm re-run write the same bytes; the re-run takes every step from the cache', async () => {
      const fill = await deb('fill');
      assert.deepEqual(fill.files, reference);
      const warm = await deb('warm');
      assert.deepEqual(warm.files, reference);
      for (const pattern of Object.values(FROM_CACHE)) assert.match(warm.stderr, pattern);
    });

    test('a new --revision compresses only the changelogs again: every other xz block of every package is the same bytes', async () => {
      const revised = await deb('revision', '--revision', '77');
      assert.equal(revised.files.size, reference.size);
      for (const name of [...reference.keys()].filter((n) => n.endsWith('.deb'))) {
        const theirs =
          [...revised.files.keys()].find((n) => n.split('_')[0] === name.split('_')[0] && n.endsWith('.deb')) ?? '';
        const [before, after] = [
          await dataBlocks(join(work, 'fill', name)),
          await dataBlocks(join(work, 'revision', theirs)),
        ];
        assert.equal(before.length, after.length, name);
        const changed = before.map((block, i) => (block === after[i] ? -1 : i)).filter((i) => i >= 0);
        assert.equal(changed.length, 1, `${name}: blocks ${changed.join(', ')} differ; only the changelog's should`);
      }
    });

    test("a changed input makes its step run again: Module.symvers (headers), a module (image), a host program's dependency (rebuild)", async () => {
      await appendFile(join(overlay.dir, 'Module.symvers'), '0x00000000\tkpkg_cache_test\tvmlinux\tEXPORT_SYMBOL\t\n');
      const symvers = await deb('symvers');
      const name = (prefix: string): string => [...reference.keys()].find((n) => n.startsWith(prefix)) ?? prefix;
      assert.notEqual(
        symvers.files.get(name('linux-headers-')),
        reference.get(name('linux-headers-')),
        'the headers package must carry the new Module.symvers',
      );
      assert.equal(symvers.files.get(name('linux-libc-dev')), reference.get(name('linux-libc-dev')));
      const listing = (
        await execa('dpkg-deb', ['--fsys-tarfile', join(work, 'symvers', name('linux-headers-'))], {
          encoding: 'buffer',
        })
      ).stdout;
      assert.ok(Buffer.from(listing).includes('kpkg_cache_test'), 'the new Module.symvers line is in the package');

      // Same bytes, new change time: a step's output is never taken for inputs it was not made from.
      const module =
        (await readFile(join(overlay.dir, 'modules.order'), 'utf8')).split('\n')[0]?.replace(/\.o$/, '.ko') ?? '';
      const now = new Date();
      await utimes(join(overlay.dir, module), now, now);
      await utimes(join(overlay.dir, 'scripts/mod/elfconfig.h'), now, now);
      const finishedBefore = await cacheEntries('module-finish');
      const touched = await deb('touched');
      const finished = [...(await cacheEntries('module-finish'))].filter((k) => !finishedBefore.has(k));
      assert.equal(finished.length, 1, 'the touched module, and only it, is stripped again');
      assert.doesNotMatch(touched.stderr, FROM_CACHE.image);
      assert.match(touched.stderr, /dtbs_install output from the build cache/);
      assert.doesNotMatch(touched.stderr, FROM_CACHE.programs);
      assert.match(touched.stderr, FROM_CACHE.uapi);
      assert.deepEqual(touched.files, symvers.files, 'the same inputs rebuilt give the same packages');
    });

    test('one module rebuilt with other bytes: only it is stripped again, and the packages are those of a cold run', async () => {
      const module =
        (await readFile(join(overlay.dir, 'modules.order'), 'utf8')).split('\n')[1]?.replace(/\.o$/, '.ko') ?? '';
      // Another build of the module: a section more, so other bytes and another size.
      const note = join(work, 'note');
      await writeFile(note, 'kpkg edit loop\n');
      await execa('aarch64-linux-gnu-objcopy', ['--add-section', `.comment.kpkg=${note}`, join(overlay.dir, module)]);
      const finishedBefore = await cacheEntries('module-finish');
      const changed = await deb('changed');
      const finished = [...(await cacheEntries('module-finish'))].filter((k) => !finishedBefore.has(k));
      assert.equal(finished.length, 1, `${module}, and only it, is stripped again`);
      const cold = await deb('changed-cold', '--no-cache');
      assert.deepEqual(changed.files, cold.files);
      const image = [...changed.files.keys()].find((n) => n.startsWith('linux-image-')) ?? '';
      assert.notEqual(changed.files.get(image), reference.get(image), 'the image package carries the new module');
    });
  },
);
