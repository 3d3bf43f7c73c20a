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
  checks: { id: string; ok: boolean; what: string; fix?: { debian: string } }[];
}

async function doctorJson(args: string[]): Promise<{ exitCode: number; json: DoctorJson }> {
  const r = await runKpkg(['doctor', ...args, '--json']);
  return { exitCode: r.exitCode, json: JSON.parse(r.stdout) as DoctorJson };
}

describe('kpkg doctor', { timeout: KERNEL_BUILD_TIMEOUT_MS }, () => {
  test('this machine (set up by tools/install-deps) has everything for arm64, smoke included', async () => {
    const { exitCode, json } = await doctorJson(['--arch', 'arm64']);
    assert.equal(exitCode, 0, JSON.stringify(json.checks.filter((c) => !c.ok)));
    assert.deepEqual(json.checks.map((c) => c.id), ['target-compiler', 'target-libc', 'target-libelf', 'target-zlib', 'target-libssl', 'target-cxx-gmp', 'target-plugin-headers', 'smoke-qemu', 'smoke-mmdebstrap']);
  });

  test('without the target libelf (an empty sysroot) it says exactly that and how to install it', async () => {
    const sysroot = await mkdtemp(join(tmpdir(), 'kpkg-empty-sysroot-'));
    const r = await runKpkg(['doctor', '--arch', 'aarch64', '--sysroot', sysroot, '--no-smoke']);
    assert.equal(r.exitCode, 1);
    assert.match(r.stdout, /✖ libelf for arm64 \(objtool, resolve_btfids\)\n {4}.*fatal error: gelf\.h: No such file or directory\n {4}fix \(Debian\/Ubuntu\): dpkg --add-architecture arm64 && apt-get update && apt-get install libelf-dev:arm64/);
    assert.match(r.stdout, /apt-get install zlib1g-dev:arm64/);
    assert.match(r.stdout, /apt-get install libssl-dev:arm64/);
  });

  test('for a tree, only what the tree needs: tiny needs a linking compiler, full also libelf, zlib, libssl and plugin headers', async () => {
    const tiny = await doctorJson(['--build-dir', await builtKernelTree({ series: '6.1', config: 'tiny' }), '--no-smoke']);
    assert.equal(tiny.exitCode, 0);
    assert.deepEqual(tiny.json.checks.map((c) => c.id), ['target-compiler', 'target-libc']);
    const full = await doctorJson(['--build-dir', await builtKernelTree({ series: '6.1', config: 'full' }), '--no-smoke']);
    assert.equal(full.exitCode, 0);
    assert.deepEqual(full.json.checks.map((c) => c.id), ['target-compiler', 'target-libc', 'target-libelf', 'target-zlib', 'target-libssl', 'target-cxx-gmp', 'target-plugin-headers']);
  });

  test('packaging runs the same checks first and fails with the same message', async () => {
    const sysroot = await mkdtemp(join(tmpdir(), 'kpkg-empty-sysroot-'));
    const objtree = await builtKernelTree({ series: '6.1', config: 'full' });
    const r = await runKpkg(['headers', '--build-dir', objtree, '--out', await mkdtemp(join(tmpdir(), 'kpkg-out-')), `CC=aarch64-linux-gnu-gcc --sysroot=${sysroot}`]);
    assert.equal(r.exitCode, 1);
    assert.match(r.stderr, /this machine cannot rebuild the host programs of 6\.1\.\d+ for arm64:\n✖ libelf for arm64/);
    assert.match(r.stderr, /fix \(Debian\/Ubuntu\): dpkg --add-architecture arm64 && apt-get update && apt-get install libelf-dev:arm64/);
    assert.match(r.stderr, /fix: install the missing pieces above; `kpkg doctor --build-dir .*` checks again/);
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
