import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { builtKernelTree, KERNEL_BUILD_TIMEOUT_MS } from '../../testing/kernel-trees.js';
import { runKpkg } from '../../testing/run-kpkg.js';

interface DoctorJson {
  arch: string;
  ok: boolean;
  checks: { id: string; ok: boolean; what: string; detail: string; fix?: { debian: string } }[];
}

async function doctorJson(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ exitCode: number; json: DoctorJson }> {
  const r = await runKpkg(['doctor', ...args, '--json'], env);
  return { exitCode: r.exitCode, json: JSON.parse(r.stdout) as DoctorJson };
}

const detail = (json: DoctorJson, id: string): string => json.checks.find((c) => c.id === id)?.detail ?? '';

describe('kpkg doctor', { timeout: KERNEL_BUILD_TIMEOUT_MS }, () => {
  test("this machine (set up by tools/install-deps, no arm64 architecture configured) has everything for arm64: the libraries come from kpkg's sysroot", async () => {
    // KPKG_CACHE_DIR, which wins over XDG_CACHE_HOME (src/util/cache.ts): an empty cache whatever the run's is.
    const cache = { KPKG_CACHE_DIR: await mkdtemp(join(tmpdir(), 'kpkg-doctor-cache-')) };
    const before = await doctorJson(['--arch', 'arm64'], cache);
    assert.equal(before.exitCode, 0, JSON.stringify(before.json.checks.filter((c) => !c.ok)));
    assert.deepEqual(
      before.json.checks.map((c) => c.id),
      [
        'target-compiler',
        'target-libc',
        'target-cxx-compiler',
        'target-libraries',
        'target-plugin-headers',
        'smoke-qemu',
        'smoke-mmdebstrap',
        'smoke-sandbox',
      ],
    );
    assert.match(
      detail(before.json, 'target-libraries'),
      /not installed through multiarch: kpkg fetches libelf-dev, libdw-dev, zlib1g-dev, libssl-dev, libgmp-dev for arm64 with apt into its own sysroot/,
    );

    const fetched = await runKpkg(['sysroot', '--arch', 'arm64', '--gcc-plugins', '12'], cache);
    assert.equal(fetched.exitCode, 0, fetched.stderr);
    const after = await doctorJson(['--arch', 'arm64'], cache);
    assert.equal(after.exitCode, 0, JSON.stringify(after.json.checks.filter((c) => !c.ok)));
    assert.deepEqual(
      after.json.checks.map((c) => c.id),
      [
        'target-compiler',
        'target-libc',
        'target-cxx-compiler',
        'target-libraries',
        'target-libelf',
        'target-libdw',
        'target-zlib',
        'target-libssl',
        'target-gmp',
        'target-plugin-headers',
        'smoke-qemu',
        'smoke-mmdebstrap',
        'smoke-sandbox',
      ],
    );
    assert.match(
      detail(after.json, 'target-libraries'),
      new RegExp(`kpkg's sysroot \\(bookworm\\): ${cache.KPKG_CACHE_DIR}/sysroots/bookworm-arm64-`),
    );
    assert.match(detail(after.json, 'target-plugin-headers'), /usr\/lib\/gcc\/aarch64-linux-gnu\/12\/plugin\/include$/);
  });

  test('without the target libelf (an empty --sysroot) it says exactly that and how to fill the sysroot', async () => {
    const sysroot = await mkdtemp(join(tmpdir(), 'kpkg-empty-sysroot-'));
    const r = await runKpkg(['doctor', '--arch', 'aarch64', '--sysroot', sysroot, '--no-smoke']);
    assert.equal(r.exitCode, 1);
    assert.match(r.stdout, new RegExp(`✔ where the arm64 libraries come from: --sysroot ${sysroot}\n`));
    assert.match(
      r.stdout,
      /✖ libelf for arm64 \(objtool, resolve_btfids, gendwarfksyms\)\n {4}.*fatal error: gelf\.h: No such file or directory\n {4}fix \(Debian\/Ubuntu\): apt-get download libelf-dev:arm64 && dpkg-deb -x libelf-dev_\*_arm64\.deb /,
    );
    assert.match(r.stdout, /apt-get download libdw-dev:arm64/);
    assert.match(r.stdout, /apt-get download zlib1g-dev:arm64/);
    assert.match(r.stdout, /apt-get download libssl-dev:arm64/);
    assert.match(
      r.stdout,
      /gmp\.h: No such file or directory\n {4}fix \(Debian\/Ubuntu\): apt-get download libgmp-dev:arm64/,
    );
    assert.match(r.stdout, /or leave out --sysroot: kpkg fetches the target's libraries itself/);
  });

  test('for a tree, only what the tree needs: tiny needs a linking compiler, full also libelf, zlib, libssl and plugin headers', async () => {
    // KPKG_CACHE_DIR, which wins over XDG_CACHE_HOME (src/util/cache.ts): an empty cache whatever the run's is.
    const cache = { KPKG_CACHE_DIR: await mkdtemp(join(tmpdir(), 'kpkg-doctor-cache-')) };
    const tiny = await doctorJson(
      ['--build-dir', await builtKernelTree({ series: '6.1', config: 'tiny' }), '--no-smoke'],
      cache,
    );
    assert.equal(tiny.exitCode, 0);
    assert.deepEqual(
      tiny.json.checks.map((c) => c.id),
      ['target-compiler', 'target-libc'],
    );
    assert.equal((await runKpkg(['sysroot', '--arch', 'arm64', '--gcc-plugins', '12'], cache)).exitCode, 0);
    const full = await doctorJson(
      ['--build-dir', await builtKernelTree({ series: '6.12', config: 'full' }), '--no-smoke'],
      cache,
    );
    assert.equal(full.exitCode, 0, JSON.stringify(full.json.checks.filter((c) => !c.ok)));
    assert.deepEqual(
      full.json.checks.map((c) => c.id),
      [
        'target-compiler',
        'target-libc',
        'target-cxx-compiler',
        'target-libraries',
        'target-libelf',
        'target-zlib',
        'target-libssl',
        'target-gmp',
        'target-plugin-headers',
      ],
    );
  });

  test('packaging runs the same checks first and fails with the same message', async () => {
    const sysroot = await mkdtemp(join(tmpdir(), 'kpkg-empty-sysroot-'));
    const objtree = await builtKernelTree({ series: '6.12', config: 'full' });
    const r = await runKpkg([
      'headers',
      '--build-dir',
      objtree,
      '--out',
      await mkdtemp(join(tmpdir(), 'kpkg-out-')),
      '--sysroot',
      sysroot,
      '--plugin-sysroot',
      sysroot,
    ]);
    assert.equal(r.exitCode, 1);
    assert.match(
      r.stderr,
      /this machine cannot rebuild the host programs of 6\.12\.\d+ for arm64:\n✖ libelf for arm64/,
    );
    assert.match(
      r.stderr,
      /fix \(Debian\/Ubuntu\): apt-get download libelf-dev:arm64 && dpkg-deb -x libelf-dev_\*_arm64\.deb /,
    );
    assert.match(
      r.stderr,
      /fix: install the missing pieces above; `kpkg doctor --build-dir .* --sysroot .*` checks again/,
    );
  });

  test('usage errors: no target, unknown arch', async () => {
    const none = await runKpkg(['doctor']);
    assert.equal(none.exitCode, 2);
    assert.match(none.stderr, /needs --arch ARCH or --build-dir DIR/);
    const unknown = await runKpkg(['doctor', '--arch', 'vax']);
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.stderr, /unknown architecture "vax"/);
  });
});
