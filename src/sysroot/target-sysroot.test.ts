import assert from 'node:assert/strict';
import { test } from 'node:test';
import { access, mkdir, mkdtemp, readlink, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedTargetSysroot, relativizeSymlinks, sysrootName, unpacksData } from './target-sysroot.js';

test('the C library and compiler run-time are not unpacked: the cross toolchain brings its own', () => {
  for (const name of [
    'libc6',
    'libc6-dev',
    'linux-libc-dev',
    'libcrypt-dev',
    'libgcc-s1',
    'gcc-12-base',
    'gcc-14-base',
    'libstdc++6',
    'libtirpc-dev',
  ])
    assert.equal(unpacksData(name), false, name);
  for (const name of [
    'libelf1',
    'libelf-dev',
    'zlib1g',
    'zlib1g-dev',
    'libssl3',
    'libssl3t64',
    'libssl-dev',
    'libgmp-dev',
    'gcc-12-plugin-dev',
    'libzstd1',
  ])
    assert.equal(unpacksData(name), true, name);
});

test('the sysroot is keyed by suite, architecture, mirror and exact versions, not by their order', () => {
  const archive = { mirror: 'http://deb.debian.org/debian', suite: 'bookworm' };
  const libelf = { name: 'libelf1', version: '0.188-2.1', arch: 'arm64' };
  const zlib = { name: 'zlib1g', version: '1:1.2.13.dfsg-1', arch: 'arm64' };
  const a = [libelf, zlib];
  const name = sysrootName(archive, 'arm64', a);
  assert.match(name, /^bookworm-arm64-[0-9a-f]{12}$/);
  assert.equal(sysrootName(archive, 'arm64', [...a].reverse()), name);
  assert.notEqual(sysrootName(archive, 'arm64', [{ ...libelf, version: '0.188-2.2' }, zlib]), name);
  assert.notEqual(sysrootName({ ...archive, mirror: 'http://other/debian' }, 'arm64', a), name);
  assert.notEqual(sysrootName(archive, 'ppc64el', a), name);
});

test('absolute symlinks become relative ones to the same place inside the sysroot', async () => {
  const root = await mkdtemp(join(tmpdir(), 'kpkg-sysroot-links-'));
  try {
    await mkdir(join(root, 'usr/lib/aarch64-linux-gnu'), { recursive: true });
    await mkdir(join(root, 'lib/aarch64-linux-gnu'), { recursive: true });
    await writeFile(join(root, 'lib/aarch64-linux-gnu/libz.so.1.2.13'), '');
    await symlink('/lib/aarch64-linux-gnu/libz.so.1.2.13', join(root, 'usr/lib/aarch64-linux-gnu/libz.so'));
    await symlink('libelf.so.1', join(root, 'usr/lib/aarch64-linux-gnu/libelf.so'));
    assert.equal(await relativizeSymlinks(root), 1);
    assert.equal(
      await readlink(join(root, 'usr/lib/aarch64-linux-gnu/libz.so')),
      '../../../lib/aarch64-linux-gnu/libz.so.1.2.13',
    );
    assert.equal(await readlink(join(root, 'usr/lib/aarch64-linux-gnu/libelf.so')), 'libelf.so.1');
    await access(join(root, 'usr/lib/aarch64-linux-gnu/libz.so'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a cached sysroot is found only for its architecture and, when asked, its suite: the newest of those', async () => {
  const cache = await mkdtemp(join(tmpdir(), 'kpkg-sysroot-cache-'));
  try {
    const manifest = async (name: string, debianArch: string, suite: string, mtime: number): Promise<void> => {
      const dir = join(cache, 'sysroots', name, '.kpkg');
      await mkdir(dir, { recursive: true });
      const file = join(dir, 'sysroot.json');
      await writeFile(
        file,
        JSON.stringify({ debianArch, suite, mirror: 'http://deb.debian.org/debian', packages: [] }),
      );
      await utimes(file, mtime, mtime);
    };
    await manifest('bookworm-arm64', 'arm64', 'bookworm', 1000);
    await manifest('trixie-arm64', 'arm64', 'trixie', 2000);
    await manifest('bookworm-riscv64', 'riscv64', 'bookworm', 3000);
    assert.equal((await cachedTargetSysroot(cache, 'arm64'))?.suite, 'trixie', 'the newest of the architecture');
    assert.equal((await cachedTargetSysroot(cache, 'arm64', { suite: 'bookworm' }))?.suite, 'bookworm');
    assert.equal(await cachedTargetSysroot(cache, 'arm64', { suite: 'sid' }), undefined);
    assert.equal(await cachedTargetSysroot(cache, 'armhf'), undefined);
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
});
