import assert from 'node:assert/strict';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { execa } from 'execa';
import { smoke } from '../../smoke/smoke.js';
import { rootfsCacheDir } from '../../smoke/test-fixtures.js';
import { debField, debPaths, elfFilesByFile, extractDeb } from '../../testing/deb-contents.js';
import { builtKernelTree, KERNEL_BUILD_TIMEOUT_MS, REPO_ROOT, type TreeSpec } from '../../testing/kernel-trees.js';
import { runKpkg } from '../../testing/run-kpkg.js';

interface DebJson {
  release: string;
  arch: string;
  packages: { name: string; version: string; path: string; sha256: string; size: number }[];
  rebuilt: { path: string; was: string }[];
  elfCount: number;
}

async function kpkgHeadersDeb(objtree: string, extra: string[] = []): Promise<DebJson> {
  const out = await mkdtemp(join(tmpdir(), 'kpkg-deb-'));
  const r = await runKpkg(['deb', '--only', 'headers', '--build-dir', objtree, '--out', out, '--json', ...extra]);
  assert.equal(r.exitCode, 0, r.stderr);
  return JSON.parse(r.stdout) as DebJson;
}

/** The packages upstream's own `make bindeb-pkg` writes for the same tree (tools/upstream-debs, cached). */
async function upstreamDebs(spec: TreeSpec): Promise<string[]> {
  const r = await execa(`${REPO_ROOT}tools/upstream-debs`, ['--series', spec.series, '--config', spec.config ?? 'tiny'], { stderr: 'pipe' });
  const dir = r.stdout.trim().split('\n').pop() ?? '';
  return (await readdir(dir)).filter((f) => f.endsWith('.deb')).map((f) => join(dir, f));
}

const HOST_PROGRAMS = ['scripts/basic/fixdep', 'scripts/mod/modpost', 'scripts/genksyms/genksyms', 'scripts/sorttable'];

for (const series of ['6.1', '6.12'] as const) {
  describe(`kpkg deb --only headers on the real ${series} arm64 tiny tree`, { timeout: KERNEL_BUILD_TIMEOUT_MS }, () => {
    const spec: TreeSpec = { series, config: 'tiny' };
    let built: DebJson | undefined;
    const headersDeb = async (): Promise<{ deb: string; json: DebJson }> => {
      built ??= await kpkgHeadersDeb(await builtKernelTree(spec));
      const p = built.packages[0];
      assert.ok(p !== undefined);
      return { deb: p.path, json: built };
    };

    test('dpkg-deb accepts it: control fields and the headers tree with its build link', async () => {
      const { deb, json } = await headersDeb();
      const release = json.release;
      await execa('dpkg-deb', ['--info', deb]);
      assert.equal(await debField(deb, 'Package'), `linux-headers-${release}`);
      assert.equal(await debField(deb, 'Architecture'), 'arm64');
      assert.equal(await debField(deb, 'Source'), 'linux-upstream');
      assert.match(await debField(deb, 'Version'), new RegExp(`^${release.replaceAll('.', '\\.')}-\\d+$`));
      assert.match(await debField(deb, 'Installed-Size'), /^\d+$/);
      const paths = new Set(await debPaths(deb));
      const root = `/usr/src/linux-headers-${release}`;
      for (const p of ['Makefile', '.config', 'Module.symvers', 'include/config/auto.conf', 'include/config/kernel.release', 'include/generated/autoconf.h', 'arch/arm64/Makefile', 'arch/arm64/include/generated/asm/cpucaps.h', ...HOST_PROGRAMS]) {
        assert.ok(paths.has(`${root}/${p}`), `${root}/${p} missing`);
      }
      assert.ok(paths.has(`/lib/modules/${release}/build`));
      const { stdout } = await execa('dpkg-deb', ['--contents', deb]);
      assert.match(stdout, new RegExp(`\\./lib/modules/${release.replaceAll('.', '\\.')}/build -> /usr/src/linux-headers-${release.replaceAll('.', '\\.')}\\n`));
      assert.deepEqual([...paths].filter((p) => p.endsWith('.o') || /\/\.[^/]*\.cmd$/.test(p)), [], 'no objects and no Kbuild command records');
      assert.deepEqual([...paths].filter((p) => /\/scripts\/(kconfig|dtc|package|atomic)\//.test(p)), []);
    });

    test('every ELF file is AArch64: kpkg\'s gate and file(1) agree', async () => {
      const { deb, json } = await headersDeb();
      assert.deepEqual(json.rebuilt.map((r) => r.path).sort(), [...HOST_PROGRAMS].sort());
      for (const r of json.rebuilt) assert.equal(r.was, 'x86-64 64-bit little-endian');
      const elves = await elfFilesByFile(await extractDeb(deb));
      assert.equal(elves.size, json.elfCount, [...elves.keys()].join(', '));
      for (const [path, desc] of elves) assert.match(desc, /ELF 64-bit LSB .*ARM aarch64/, path);
      for (const p of HOST_PROGRAMS) {
        assert.match(elves.get(`usr/src/linux-headers-${json.release}/${p}`) ?? '', /interpreter \/lib\/ld-linux-aarch64\.so\.1/, p);
      }
    });

    test('the same tree gives the same bytes twice', async () => {
      const { json } = await headersDeb();
      const again = await kpkgHeadersDeb(await builtKernelTree(spec));
      assert.equal(again.packages[0]?.sha256, json.packages[0]?.sha256);
      const sha = (await execa('sha256sum', [again.packages[0]?.path ?? ''])).stdout.split(' ')[0];
      assert.equal(sha, json.packages[0]?.sha256);
    });

    test('smoke: installed in an arm64 rootfs, an out-of-tree module builds against it', async () => {
      const { deb, json } = await headersDeb();
      const result = await smoke({ debianArch: 'arm64', debs: [deb], release: json.release, cacheDir: rootfsCacheDir(), onLine: () => undefined });
      assert.equal(result.ok, true, `${result.failedStep ?? ''}: ${result.logTail ?? ''}`);
      assert.ok(result.vermagic?.startsWith(`${json.release} `), result.vermagic);
      assert.match(result.vermagic ?? '', /modversions aarch64/);
    });
  });
}

describe('upstream make bindeb-pkg, for comparison', { timeout: KERNEL_BUILD_TIMEOUT_MS }, () => {
  test('6.1: its headers deb ships x86-64 host programs and fails smoke with the fixdep error', async () => {
    const debs = await upstreamDebs({ series: '6.1' });
    const headers = debs.find((d) => d.includes('linux-headers-'));
    assert.ok(headers !== undefined, debs.join(', '));
    const elves = await elfFilesByFile(await extractDeb(headers));
    const release = (await debField(headers, 'Package')).replace('linux-headers-', '');
    assert.match(elves.get(`usr/src/linux-headers-${release}/scripts/basic/fixdep`) ?? '', /x86-64/);
    const result = await smoke({ debianArch: 'arm64', debs: [headers], release, cacheDir: rootfsCacheDir(), onLine: () => undefined });
    assert.equal(result.ok, false);
    assert.equal(result.failedStep, 'build module');
    assert.match(result.logTail ?? '', /fixdep: (Exec format error|not found|cannot execute)|scripts\/basic\/fixdep.*(Exec format error|not found)/);
  });

  test('6.12: kpkg ships the same paths as upstream bindeb-pkg, except the listed, justified differences', async () => {
    const debs = await upstreamDebs({ series: '6.12' });
    const upstream = debs.find((d) => d.includes('linux-headers-'));
    assert.ok(upstream !== undefined, debs.join(', '));
    const ours = (await kpkgHeadersDeb(await builtKernelTree({ series: '6.12' }))).packages[0]?.path ?? '';
    const release = (await debField(upstream, 'Package')).replace('linux-headers-', '');
    const root = `/usr/src/linux-headers-${release}`;
    const upstreamPaths = new Set(await debPaths(upstream));
    const ourPaths = new Set(await debPaths(ours));
    const onlyOurs = [...ourPaths].filter((p) => !upstreamPaths.has(p)).sort();
    const onlyUpstream = [...upstreamPaths].filter((p) => !ourPaths.has(p)).sort();
    // kpkg keeps .config, which ≤ 6.11 shipped and 6.12 dropped: DKMS and vendor Makefiles read $(KDIR)/.config.
    assert.deepEqual(onlyOurs, [`${root}/.config`]);
    // modpost's generated assembly: nothing on the target reads it, and it names the build machine's paths.
    assert.deepEqual(onlyUpstream, [`${root}/scripts/mod/devicetable-offsets.s`]);
  });
});
