/**
 * kpkg smoke --boot on kpkg's own image and headers .debs of the CI tier's real trees (6.1 arm64 tiny;
 * 6.12 arm64 full: module signing, BTF, GCC plugins): the packaged kernel boots on qemu-system-aarch64,
 * its own modules modprobe with the indexes it ships, and kpkg_hello, built against the installed
 * headers, loads and unloads. And the proof fails when it should:
 * - a headers package whose Module.symvers CRCs are not the image's (another build of the same
 *   release) builds a module the kernel refuses, in its own words;
 * - a kernel configured without its machine's console driver is refused before anything is built.
 * The other families boot in src/cli/commands/smoke.integration.test.ts.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { builtKernelTree, inTier, KERNEL_BUILD_TIMEOUT_MS, type TreeSpec } from '../testing/kernel-trees.js';
import { editedDeb } from '../testing/edit-deb.js';
import { runKpkg } from '../testing/run-kpkg.js';
import type { BootReport } from './boot/report.js';

interface SmokeJson {
  ok: boolean;
  release: string;
  failedStep?: string;
  logTail?: string;
  timings: { step: string; seconds: number }[];
  boot?: BootReport;
}

const TREES: readonly TreeSpec[] = [
  { series: '6.1', config: 'tiny' },
  { series: '6.12', config: 'full' },
];

/** The image and headers .debs of a tree, each set in a directory of its own. */
async function imageAndHeaders(
  spec: TreeSpec,
  out: string,
): Promise<{ image: string; headers: string; release: string }> {
  const r = await runKpkg([
    'deb',
    '--build-dir',
    await builtKernelTree(spec),
    '--out',
    out,
    '--only',
    'image,headers',
    '--json',
  ]);
  assert.equal(r.exitCode, 0, r.stderr);
  const json = JSON.parse(r.stdout) as { release: string; packages: { kind: string; path: string }[] };
  const path = (kind: string): string => json.packages.find((p) => p.kind === kind)?.path ?? assert.fail(kind);
  return { image: path('image'), headers: path('headers'), release: json.release };
}

async function smokeBoot(files: readonly string[], work: string): Promise<SmokeJson> {
  const dir = await mkdtemp(join(work, 'set-'));
  const inDir = [];
  for (const file of files) {
    const copy = join(dir, basename(file));
    await copyFile(file, copy);
    inDir.push(copy);
  }
  const r = await runKpkg(['smoke', '--boot', ...inDir, '--json']);
  assert.ok(r.stdout.trim() !== '', r.stderr);
  const json = JSON.parse(r.stdout) as SmokeJson;
  assert.equal(r.exitCode, json.ok ? 0 : 1, r.stderr);
  return json;
}

for (const spec of TREES.filter(inTier))
  describe(
    `kpkg smoke --boot on the image and headers .debs of the real ${spec.series} arm64 ${spec.config ?? 'tiny'} tree`,
    { timeout: KERNEL_BUILD_TIMEOUT_MS },
    () => {
      let work = '';
      let set: { image: string; headers: string; release: string };
      before(async () => {
        work = await mkdtemp(join(tmpdir(), 'kpkg-boot-test-'));
        set = await imageAndHeaders(spec, join(work, 'out'));
      });
      after(() => rm(work, { recursive: true, force: true }));

      test('the packaged kernel boots, its own modules modprobe and kpkg_hello built against the headers loads and unloads', async (t) => {
        const json = await smokeBoot([set.image, set.headers], work);
        const boot = json.boot;
        assert.ok(boot !== undefined, `${json.failedStep ?? ''}: ${json.logTail ?? ''}`);
        t.diagnostic(
          `/init after ${boot.secondsToInit ?? '?'} s, boot ${boot.seconds} s; timings ${JSON.stringify(json.timings)}`,
        );
        t.diagnostic(
          `taint ${JSON.stringify(boot.taint)}; ${boot.modules.map((m) => `${m.name}: ${m.kernelSays.join(' / ')}`).join('; ')}`,
        );
        assert.equal(json.ok, true, `${json.failedStep ?? ''}: ${json.logTail ?? ''}`);
        assert.equal(boot.ok, true, boot.failures.join('\n'));
        assert.equal(boot.uname, set.release);
        assert.equal(boot.kernelFile, `/boot/vmlinuz-${set.release}`);
        assert.deepEqual(boot.problems, []);
        const hello = boot.modules.find((m) => m.name === 'kpkg_hello');
        assert.deepEqual([hello?.origin, hello?.loaded, hello?.unloaded], ['built', true, true]);
        assert.ok(
          hello?.kernelSays.some((line) => /hello, the answer is 42/.test(line)),
          JSON.stringify(hello),
        );
        const image = boot.modules.filter((m) => m.origin === 'image');
        assert.ok(image.length > 0 && image.every((m) => m.loaded && m.unloaded === true), JSON.stringify(image));
        // O: an out-of-tree module was loaded.
        assert.match(boot.taint?.flags ?? '', /O/);
      });

      if (spec.series === '6.1')
        test("headers whose Module.symvers CRCs are another build's: the module is refused with the kernel's own words", async () => {
          const headers = await editedDeb(set.headers, join(work, 'other-crcs.deb'), async (dir) => {
            const symvers = join(dir, `usr/src/linux-headers-${set.release}/Module.symvers`);
            const text = await readFile(symvers, 'utf8');
            // Every CRC changed, as another build of the same release (other compiler, other options) would have them.
            const other = text.replace(
              /^0x([0-9a-f]{8})/gm,
              (_m, crc: string) => `0x${((Number.parseInt(crc, 16) ^ 0x5a5a5a5a) >>> 0).toString(16).padStart(8, '0')}`,
            );
            assert.notEqual(other, text);
            await writeFile(symvers, other);
          });
          const json = await smokeBoot([set.image, headers], work);
          assert.equal(json.ok, false);
          assert.equal(json.failedStep, 'boot');
          const hello = json.boot?.modules.find((m) => m.name === 'kpkg_hello');
          assert.equal(hello?.loaded, false);
          assert.ok(
            hello.kernelSays.some((line) => /disagrees about version of symbol/.test(line)),
            JSON.stringify(hello),
          );
          assert.match(
            json.logTail ?? '',
            /kpkg_hello \(built against the headers\) did not load: .*disagrees about version of symbol/,
          );
          // The image's own modules still load: the image is fine, the headers are not its.
          assert.ok(json.boot?.modules.filter((m) => m.origin === 'image').every((m) => m.loaded));
        });

      if (spec.series === '6.1')
        test("a kernel without its machine's console driver is refused before anything is built, with the options to add", async () => {
          const headers = await editedDeb(set.headers, join(work, 'no-console.deb'), async (dir) => {
            const config = join(dir, `usr/src/linux-headers-${set.release}/.config`);
            const text = await readFile(config, 'utf8');
            await writeFile(
              config,
              text.replace(/^CONFIG_SERIAL_AMBA_PL011_CONSOLE=y$/m, '# CONFIG_SERIAL_AMBA_PL011_CONSOLE is not set'),
            );
          });
          const json = await smokeBoot([set.image, headers], work);
          assert.equal(json.ok, false);
          assert.equal(json.failedStep, 'boot config');
          assert.match(
            json.logTail ?? '',
            /cannot boot on qemu-system-aarch64 -M virt .*lacks CONFIG_SERIAL_AMBA_PL011_CONSOLE=y/,
          );
          assert.match(json.logTail ?? '', /^CONFIG_SERIAL_AMBA_PL011_CONSOLE=y$/m);
          assert.deepEqual(
            json.timings.map((s) => s.step),
            ['binfmt', 'rootfs', 'install', 'boot config'],
          );
          assert.equal(json.boot, undefined);
        });

      if (spec.series === '6.1')
        test('without the image package: refused at boot config, naming the kernel file it looked for', async () => {
          const json = await smokeBoot([set.headers], work);
          assert.equal(json.failedStep, 'boot config');
          assert.match(
            json.logTail ?? '',
            new RegExp(
              `no kernel at /boot/vmlinuz-${set.release.replaceAll('.', '\\.')}: --boot needs the image package`,
            ),
          );
        });
    },
  );
