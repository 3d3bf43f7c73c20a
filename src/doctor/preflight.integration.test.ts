// Issue 32's machine: the arm64 cross gcc and everything else, but no cross g++ — which the 6.12
// GCC-plugin tree needs to rebuild its plugins for the target. The real CLI, the real tree, the g++
// hidden from PATH.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { pathWithout } from '../testing/hidden-programs.js';
import { builtKernelTree, inTier, KERNEL_BUILD_TIMEOUT_MS, type TreeSpec } from '../testing/kernel-trees.js';
import { runKpkg } from '../testing/run-kpkg.js';

const SPEC: TreeSpec = { series: '6.12', arch: 'arm64', config: 'full' };

/** The lines that report a failed check (report.ts marks them ✖). */
const failedLines = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('✖'));

/** What --out holds: its entries with their contents, and the directory's own change time. */
async function outState(dir: string): Promise<{ entries: [string, string][]; mtimeMs: number }> {
  const names = (await readdir(dir)).sort();
  return {
    entries: await Promise.all(
      names.map(async (n): Promise<[string, string]> => [n, await readFile(join(dir, n), 'utf8')]),
    ),
    mtimeMs: (await stat(dir)).mtimeMs,
  };
}

if (inTier(SPEC))
  describe('a GCC-plugin tree on a machine without the cross g++', { timeout: KERNEL_BUILD_TIMEOUT_MS }, () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => {
      for (const cleanup of cleanups) await cleanup();
    });

    test('kpkg deb fails before writing, naming aarch64-linux-gnu-g++ and its package alone; the doctor it names says the same, and passes with the g++ back', async () => {
      const objtree = await builtKernelTree(SPEC);
      const hidden = await pathWithout(['aarch64-linux-gnu-g++']);
      cleanups.push(hidden.dispose);
      const out = await mkdtemp(join(tmpdir(), 'kpkg-out-'));
      cleanups.push(() => rm(out, { recursive: true, force: true }));
      await writeFile(join(out, 'linux-image-old_arm64.deb'), 'a package of an earlier run\n');
      const before = await outState(out);

      const deb = await runKpkg(['deb', '--build-dir', objtree, '--out', out, '--only', 'image,headers'], {
        PATH: hidden.path,
      });
      assert.equal(deb.exitCode, 1, deb.stderr);
      assert.equal(deb.stderr.match(/^kpkg: error: /gm)?.length, 1, deb.stderr);
      assert.doesNotMatch(deb.stderr, /^\s+at /m, 'no stack trace');
      assert.match(
        deb.stderr,
        /^kpkg: error: this machine cannot rebuild the host programs of 6\.12\.\d+ for arm64:\n/,
      );
      assert.deepEqual(failedLines(deb.stderr), ['✖ C++ compiler for arm64 (aarch64-linux-gnu-g++; GCC plugins)']);
      assert.match(
        deb.stderr,
        /aarch64-linux-gnu-g\+\+ is not on PATH\n {4}fix \(Debian\/Ubuntu\): apt-get install g\+\+-aarch64-linux-gnu\n/,
      );
      assert.doesNotMatch(deb.stderr, /gmp|--sysroot|leave out|kpkg\/sysroots/);
      assert.deepEqual(await outState(out), before, '--out is left as it was');

      // The doctor command the error names: the same arguments, and the same one missing piece.
      const named = /`(kpkg doctor [^`]*)` checks again/.exec(deb.stderr)?.[1];
      assert.ok(named !== undefined, deb.stderr);
      assert.equal(named, `kpkg doctor --build-dir ${objtree}`);
      const doctorArgs = named.split(' ').slice(1);
      const doctor = await runKpkg(doctorArgs, { PATH: hidden.path });
      assert.equal(doctor.exitCode, 1, doctor.stdout);
      assert.deepEqual(failedLines(doctor.stdout), ['✖ C++ compiler for arm64 (aarch64-linux-gnu-g++; GCC plugins)']);
      assert.match(
        doctor.stdout,
        /aarch64-linux-gnu-g\+\+ is not on PATH\n {4}fix \(Debian\/Ubuntu\): apt-get install g\+\+-aarch64-linux-gnu\n/,
      );
      assert.match(doctor.stdout, /\n1 missing$/);

      const restored = await runKpkg(doctorArgs);
      assert.equal(restored.exitCode, 0, restored.stdout);
      assert.match(restored.stdout, /✔ C\+\+ compiler for arm64 \(aarch64-linux-gnu-g\+\+; GCC plugins\): compiles\n/);
      assert.match(restored.stdout, /✔ gmp headers for arm64 \(GCC plugins\): compiles\n|kpkg fetches/);
      assert.match(restored.stdout, /\neverything needed is here$/);
    });
  });
