import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { freshHome, letUserReach, ordinaryUser, runKpkgAs } from '../../testing/fresh-home.js';
import { builtKernelTree, KERNEL_BUILD_TIMEOUT_MS, type TreeSpec } from '../../testing/kernel-trees.js';
import { runKpkg, type KpkgRun } from '../../testing/run-kpkg.js';

/**
 * kpkg as a new user meets it: no ~/.cache/kpkg, no target architecture configured for apt, no
 * target -dev package installed (tools/install-deps installs none), and — where root is not
 * needed — an ordinary account. Every directory kpkg needs it makes itself.
 */

interface DebJson {
  release: string;
  packages: { kind: string; path: string }[];
  rebuilt: { path: string }[];
  targetLibraries?: string;
}

function assertRan(r: KpkgRun, what: string): void {
  assert.doesNotMatch(r.stderr, /internal error/, `${what}: ${r.stderr}`);
  assert.equal(r.exitCode, 0, `${what} exited ${String(r.exitCode)}:\n${r.stderr.slice(-3000)}`);
}

/** The kernel source tree a cached tree was built from (tools/kernel-tree's stamp). */
async function sourceOf(objtree: string): Promise<string> {
  const stamp = await readFile(join(objtree, '.kpkg-built'), 'utf8');
  return /^source=(.*)$/m.exec(stamp)?.[1] ?? '';
}

describe('from an empty HOME, as root: deb, headers, verify, doctor, sysroot and smoke make every directory they need', { timeout: KERNEL_BUILD_TIMEOUT_MS }, () => {
  test('the whole job on the 6.12 arm64 tiny and full trees and the 6.1 tiny tree, nothing cached', async () => {
    const { home, env } = await freshHome();
    const tiny = await builtKernelTree({ series: '6.12', config: 'tiny' });
    const full = await builtKernelTree({ series: '6.12', config: 'full' });
    const tiny61 = await builtKernelTree({ series: '6.1', config: 'tiny' });

    const doctor = await runKpkg(['doctor', '--arch', 'arm64'], env);
    assertRan(doctor, 'doctor');
    assert.match(doctor.stdout, /kpkg fetches libelf-dev, zlib1g-dev, libssl-dev, libgmp-dev for arm64 with apt into its own sysroot/);

    const set = await runKpkg(['deb', '--build-dir', tiny, '--out', join(home, 'out/tiny/debs'), '--json'], env);
    assertRan(set, 'deb (6.12 tiny)');
    const tinyJson = JSON.parse(set.stdout) as DebJson;
    assert.deepEqual(tinyJson.packages.map((p) => p.kind), ['image', 'headers', 'libc-dev']);

    const plugins = await runKpkg(['deb', '--only', 'headers', '--build-dir', full, '--out', join(home, 'out/full'), '--json'], env);
    assertRan(plugins, 'deb --only headers (6.12 full)');
    const fullJson = JSON.parse(plugins.stdout) as DebJson;
    assert.ok(fullJson.rebuilt.some((r) => r.path === 'scripts/gcc-plugins/latent_entropy_plugin.so'), JSON.stringify(fullJson.rebuilt));
    assert.match(fullJson.targetLibraries ?? '', new RegExp(`kpkg's sysroot \\(bookworm arm64, fetched now\\): ${home}/\\.cache/kpkg/sysroots/bookworm-arm64-`));
    assert.ok((await readdir(join(home, '.cache/kpkg/sysroots'))).some((d) => d.startsWith('bookworm-arm64-')));

    const headers = await runKpkg(['headers', '--build-dir', tiny61, '--out', join(home, 'not/made/yet'), '--json'], env);
    assertRan(headers, 'headers (6.1 tiny)');

    const headersDeb = tinyJson.packages.find((p) => p.kind === 'headers')?.path ?? '';
    assertRan(await runKpkg(['verify', headersDeb, fullJson.packages[0]?.path ?? '', '--arch', 'arm64'], env), 'verify');
    const sysroot = await runKpkg(['sysroot', '--arch', 'arm64', '--json'], env);
    assertRan(sysroot, 'sysroot');
    assert.equal((JSON.parse(sysroot.stdout) as { created: boolean }).created, false, 'the sysroot deb fetched is reused');

    // smoke builds its rootfs into the empty cache too (mmdebstrap).
    const smoke = await runKpkg(['smoke', headersDeb, '--json'], env);
    assertRan(smoke, 'smoke');
    assert.ok((JSON.parse(smoke.stdout) as { vermagic: string }).vermagic.startsWith(`${tinyJson.release} `));
    assert.ok((await readdir(join(home, '.cache/kpkg/rootfs'))).some((f) => f.endsWith('.tar.zst')));
  });

  test('missing inputs are one-line errors, never an internal error', async () => {
    const { home, env } = await freshHome();
    for (const args of [
      ['deb', '--build-dir', join(home, 'no-such-tree'), '--out', join(home, 'out')],
      ['headers', '--build-dir', join(home, 'no-such-tree')],
      ['inspect', '--build-dir', join(home, 'no-such-tree')],
      ['verify', join(home, 'no-such.deb')],
      ['smoke', join(home, 'no-such.deb')],
      ['sysroot', '--arch', 'vax'],
    ]) {
      const r = await runKpkg(args, env);
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(r.exitCode === 1 || r.exitCode === 2, `${args.join(' ')} exited ${String(r.exitCode)}`);
      assert.match(r.stderr, /^kpkg: error: /m, args.join(' '));
    }
  });
});

describe('as an ordinary user from an empty HOME: the four CI trees packaged with target libraries fetched by kpkg, then proved as root', { timeout: KERNEL_BUILD_TIMEOUT_MS }, () => {
  const trees: { spec: TreeSpec; arch: string }[] = [
    { spec: { series: '6.1', config: 'tiny' }, arch: 'arm64' },
    { spec: { series: '6.12', config: 'tiny' }, arch: 'arm64' },
    { spec: { series: '6.12', config: 'full' }, arch: 'arm64' },
    { spec: { series: '6.12', arch: 'ppc64el', config: 'tiny' }, arch: 'ppc64el' },
  ];
  test('kpkg deb, headers, verify, doctor and sysroot as an ordinary user; every headers package passes kpkg smoke', async () => {
    const user = await ordinaryUser();
    const { home, env } = await freshHome(user);
    const headersDebs: string[] = [];
    for (const { spec, arch } of trees) {
      const objtree = await builtKernelTree(spec);
      await letUserReach(user, objtree);
      await letUserReach(user, await sourceOf(objtree));
      const name = `${spec.series}-${arch}-${spec.config ?? 'tiny'}`;
      assertRan(await runKpkgAs(user, ['doctor', '--build-dir', objtree, '--no-smoke'], env), `doctor ${name}`);
      const r = await runKpkgAs(user, ['deb', '--build-dir', objtree, '--out', join(home, name), '--json'], env);
      assertRan(r, `deb ${name}`);
      const json = JSON.parse(r.stdout) as DebJson;
      const deb = json.packages.find((p) => p.kind === 'headers')?.path ?? '';
      assertRan(await runKpkgAs(user, ['verify', ...json.packages.map((p) => p.path), '--arch', arch], env), `verify ${name}`);
      headersDebs.push(deb);
    }
    const objtree = await builtKernelTree({ series: '6.1', config: 'tiny' });
    assertRan(await runKpkgAs(user, ['headers', '--build-dir', objtree, '--out', join(home, 'headers-tree')], env), 'headers');
    assertRan(await runKpkgAs(user, ['sysroot', '--arch', 'ppc64el'], env), 'sysroot ppc64el');
    const sysroots = await readdir(join(home, '.cache/kpkg/sysroots'));
    assert.ok(sysroots.some((d) => d.startsWith('bookworm-ppc64el-')), sysroots.join(' '));

    // smoke needs root (chroot, mounts) and says so to an ordinary user.
    const refused = await runKpkgAs(user, ['smoke', headersDebs[0] ?? ''], env);
    assert.equal(refused.exitCode, 1);
    assert.match(refused.stderr, /kpkg: error: .*root/);
    assert.doesNotMatch(refused.stderr, /internal error/);

    for (const deb of headersDebs) {
      const smoke = await runKpkg(['smoke', deb, '--json']);
      assertRan(smoke, `smoke ${deb}`);
    }
  });
});
