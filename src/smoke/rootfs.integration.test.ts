import assert from 'node:assert/strict';
import { access, readFile, stat } from 'node:fs/promises';
import { test } from 'node:test';
import { isKpkgError } from '../util/errors.js';
import { openSandbox } from './sandbox/sandbox.js';
import { targetRootOwner } from './sandbox/ids.js';
import { BASE_PACKAGES, ensureRootfsTarball, mmdebstrapArgs, rootfsCacheName, unpackRootfs } from './rootfs.js';
import { debianArm64Rootfs } from '../testing/smoke-fixtures.js';

const spec = {
  debianArch: 'arm64',
  suite: 'bookworm',
  packages: ['make', 'gcc', 'gcc'],
  mirror: 'http://deb.debian.org/debian',
  cacheDir: '/c',
};

test('cache name: suite and arch readable, package order and duplicates irrelevant', () => {
  const name = rootfsCacheName(spec);
  assert.match(name, /^bookworm-arm64-[0-9a-f]{12}$/);
  assert.equal(rootfsCacheName({ ...spec, packages: ['gcc', 'make'] }), name);
  assert.notEqual(rootfsCacheName({ ...spec, packages: ['gcc', 'make', 'kmod'] }), name);
  assert.notEqual(rootfsCacheName({ ...spec, mirror: 'http://other/debian' }), name);
  assert.notEqual(rootfsCacheName({ ...spec, debianArch: 'armhf' }), name.replace('arm64', 'armhf'));
});

test('mmdebstrap gets the main suite only, as its mirror argument', () => {
  const args = mmdebstrapArgs(spec, '/c/x.tmp-1.tar.zst');
  assert.deepEqual(args.slice(-3), [
    'bookworm',
    '/c/x.tmp-1.tar.zst',
    'deb http://deb.debian.org/debian bookworm main',
  ]);
  assert.ok(args.includes('--include=gcc,make'));
  assert.ok(args.includes('--architectures=arm64'));
  assert.ok(args.includes('--variant=apt'));
});

test('the base package set covers what M= builds run', () => {
  for (const pkg of ['gcc', 'make', 'kmod', 'mawk', 'libc6-dev']) assert.ok(BASE_PACKAGES.includes(pkg), pkg);
  // What the headers' programs need must come from the package's Depends, not from the rootfs.
  // rpm and pacman bring libelf1: only the other formats' rootfs gets them.
  for (const pkg of ['libelf1', 'openssl', 'libssl3', 'rpm', 'pacman-package-manager'])
    assert.ok(!BASE_PACKAGES.includes(pkg), pkg);
});

test('rootfs tarball: built once, then a cache hit; unpacked copies are private and removed', async (t) => {
  const first = await debianArm64Rootfs((line) => t.diagnostic(line));
  t.diagnostic(
    `first call: ${first.tarball.built ? 'built' : 'cached'} in ${first.tarball.seconds} s, ${(await stat(first.tarball.path)).size} bytes`,
  );
  const again = await debianArm64Rootfs();
  assert.equal(again.tarball.built, false);
  assert.equal(again.tarball.path, first.tarball.path);
  assert.ok(again.tarball.seconds < 5, `cache hit took ${again.tarball.seconds} s`);
  t.diagnostic(`cache hit in ${again.tarball.seconds} s`);
  assert.equal(
    (await readFile(first.tarball.path.replace(/\.tar\.zst$/, '.packages'), 'utf8')).trim().split('\n').join(','),
    first.spec.packages.join(','),
  );

  const sandbox = await openSandbox();
  const { ids } = sandbox;
  const started = performance.now();
  const a = await unpackRootfs(sandbox, first.tarball.path);
  const b = await unpackRootfs(sandbox, first.tarball.path);
  t.diagnostic(`unpack: ${Math.round(performance.now() - started) / 2} ms each`);
  try {
    assert.notEqual(a.dir, b.dir);
    for (const file of [
      'usr/bin/gcc',
      'usr/bin/make',
      'bin/kmod',
      'usr/bin/mawk',
      'usr/bin/dpkg',
      'proc',
      'dev',
      'tmp',
    ]) {
      await access(`${a.dir}/${file}`);
    }
    assert.match(await readFile(`${a.dir}/var/lib/dpkg/status`, 'utf8'), /^Package: libelf1$/m);
    assert.equal((await stat(`${a.dir}/tmp`)).mode & 0o1777, 0o1777);
    // Owned by the target's ids, not by this machine's root: target root is target root's outer id.
    const owner = targetRootOwner(ids);
    assert.deepEqual(
      [(await stat(`${a.dir}/etc/passwd`)).uid, (await stat(`${a.dir}/etc/passwd`)).gid],
      [owner.uid, owner.gid],
    );
    // /etc/shadow's group is shadow (42) in the target, a subordinate id outside.
    assert.ok((await stat(`${a.dir}/etc/shadow`)).gid >= 100_000);
  } finally {
    await a.remove();
    await b.remove();
  }
  await assert.rejects(access(a.dir));
  await assert.rejects(access(b.dir));
});

test('package names are checked before mmdebstrap sees them', async () => {
  await assert.rejects(
    ensureRootfsTarball({ ...spec, packages: ['gcc', 'libssl-dev,evil', 'Bad Name'] }),
    (e: unknown) => isKpkgError(e) && /'libssl-dev,evil', 'Bad Name'/.test(e.message),
  );
});
