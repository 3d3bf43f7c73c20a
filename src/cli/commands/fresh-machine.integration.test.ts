import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  forbidUserRead,
  freshHome,
  letUserRead,
  letUserReach,
  ordinaryUser,
  runKpkgAs,
  testUserCache,
  withSubordinateIds,
} from '../../testing/fresh-home.js';
import { builtKernelTree, inTier, KERNEL_BUILD_TIMEOUT_MS, type TreeSpec } from '../../testing/kernel-trees.js';
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

describe('from an empty HOME: nothing cached, nothing assumed to exist', { timeout: KERNEL_BUILD_TIMEOUT_MS }, () => {
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

describe(
  'as an ordinary user from an empty HOME: the trees of the tier packaged with target libraries fetched by kpkg, and proved by kpkg smoke',
  { timeout: KERNEL_BUILD_TIMEOUT_MS },
  () => {
    const matrix: { spec: TreeSpec; arch: string }[] = [
      { spec: { series: '6.1', config: 'tiny' }, arch: 'arm64' },
      { spec: { series: '6.12', config: 'tiny' }, arch: 'arm64' },
      { spec: { series: '6.12', config: 'full' }, arch: 'arm64' },
      { spec: { series: '6.12', arch: 'ppc64el', config: 'tiny' }, arch: 'ppc64el' },
    ];
    const trees = matrix.filter((t) => inTier(t.spec));
    test('doctor, deb, verify, headers, sysroot and smoke as an ordinary user; every headers package passes kpkg smoke, the first from an empty HOME', async () => {
      const user = await ordinaryUser();
      const { home, env } = await freshHome(user);
      const headersDebs: DebJson[] = [];
      for (const { spec, arch } of trees) {
        const objtree = await builtKernelTree(spec);
        await letUserReach(user, objtree);
        await letUserReach(user, await sourceOf(objtree));
        // modules_install signs the modules (CONFIG_MODULE_SIG_ALL) with the build's private key, which is
        // 0600: a packager who owns the tree reads it; here root built it, so this user is let read it.
        if (spec.config === 'full') {
          await forbidUserRead(user, join(objtree, 'certs/signing_key.pem'));
          const denied = await runKpkgAs(
            user,
            ['deb', '--only', 'image', '--build-dir', objtree, '--out', join(home, 'denied')],
            env,
          );
          assert.equal(denied.exitCode, 1, denied.stderr);
          assert.match(
            denied.stderr,
            /kpkg: error: modules_install signs every module \(CONFIG_MODULE_SIG_ALL\) with \S+\/certs\/signing_key\.pem, which this user cannot read\n {2}fix: run kpkg as the user who built the kernel/,
          );
          assert.deepEqual(await readdir(join(home, 'denied')).catch(() => []), []);
          await letUserRead(user, join(objtree, 'certs/signing_key.pem'));
        }
        const name = `${spec.series}-${arch}-${spec.config ?? 'tiny'}`;
        const doctor = await runKpkgAs(user, ['doctor', '--build-dir', objtree, '--no-smoke'], env);
        assertRan(doctor, `doctor ${name}`);
        // Created on demand, several levels deep.
        const r = await runKpkgAs(
          user,
          ['deb', '--build-dir', objtree, '--out', join(home, 'out', name, 'debs'), '--json'],
          env,
        );
        assertRan(r, `deb ${name}`);
        const json = JSON.parse(r.stdout) as DebJson;
        assertRan(
          await runKpkgAs(user, ['verify', ...json.packages.map((p) => p.path), '--arch', arch], env),
          `verify ${name}`,
        );
        headersDebs.push({ ...json, packages: json.packages.filter((p) => p.kind === 'headers') });
        if (spec.config === 'full') {
          assert.ok(
            json.rebuilt.some((p) => p.path === 'scripts/gcc-plugins/latent_entropy_plugin.so'),
            JSON.stringify(json.rebuilt),
          );
          assert.match(
            json.targetLibraries ?? '',
            new RegExp(
              `kpkg's sysroot \\(bookworm arm64, fetched now\\): ${home}/\\.cache/kpkg/sysroots/bookworm-arm64-`,
            ),
          );
        }
        if (arch === 'ppc64el') {
          assert.ok(
            json.rebuilt.some((p) => p.path === 'tools/objtool/objtool'),
            JSON.stringify(json.rebuilt),
          );
          assert.match(json.targetLibraries ?? '', /kpkg's sysroot \(bookworm ppc64el, fetched now\)/);
        }
      }
      const objtree = await builtKernelTree({ series: '6.1', config: 'tiny' });
      assertRan(
        await runKpkgAs(user, ['headers', '--build-dir', objtree, '--out', join(home, 'headers', 'tree')], env),
        'headers',
      );
      const sysroot = await runKpkgAs(user, ['sysroot', '--arch', 'arm64', '--gcc-plugins', '12', '--json'], env);
      assertRan(sysroot, 'sysroot arm64');
      assert.equal(
        (JSON.parse(sysroot.stdout) as { created: boolean }).created,
        false,
        'the sysroot deb fetched is reused',
      );
      const ppc64el = await runKpkgAs(user, ['sysroot', '--arch', 'ppc64el'], env);
      assertRan(ppc64el, 'sysroot ppc64el');
      assert.match(ppc64el.stdout, new RegExp(`^${home}/\\.cache/kpkg/sysroots/bookworm-ppc64el-`));

      // smoke needs no root: its sandbox maps the target's ids to the user's subordinate ids. The first from
      // the empty HOME (its rootfs built from nothing, as the user), the others with a cache kept for this user.
      await withSubordinateIds(user);
      const userCache = await testUserCache(user);
      for (const [i, json] of headersDebs.entries()) {
        const deb = json.packages[0]?.path ?? '';
        const smoke = await runKpkgAs(
          user,
          ['smoke', deb, '--json'],
          i === 0 ? env : { ...env, KPKG_CACHE_DIR: userCache },
        );
        assertRan(smoke, `smoke ${json.release} as ${user.name}`);
        assert.ok((JSON.parse(smoke.stdout) as { vermagic: string }).vermagic.startsWith(`${json.release} `));
      }
      assert.ok((await readdir(join(home, '.cache/kpkg/rootfs'))).some((f) => f.endsWith('.tar.zst')));
    });
  },
);
