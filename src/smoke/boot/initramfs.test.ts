import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { readCpio } from '../../archive/cpio.js';
import { initScript } from './init-script.js';
import {
  IMAGE_MODULES_LIMIT,
  imageModulesToLoad,
  pathsOfNames,
  planInitramfs,
  readModulesDep,
  writeInitramfs,
} from './initramfs.js';
import { parseModulesDep } from './modules-dep.js';

const RELEASE = '6.1.0-kpkg';
const MODULES = `lib/modules/${RELEASE}`;
let work = '';
let root = '';

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-initramfs-'));
  root = join(work, 'root');
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function put(pathInRoot: string, content: string): Promise<void> {
  const path = join(root, pathInRoot);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

test('imageModulesToLoad takes lib, crypto and fs modules first, sorted, and at most the limit', () => {
  const deps = parseModulesDep(
    [
      'kernel/drivers/net/dummy.ko:',
      'kernel/drivers/block/loop.ko:',
      'kernel/fs/fat/fat.ko:',
      'kernel/lib/crc-ccitt.ko:',
      'kernel/crypto/xor.ko:',
      'kernel/net/ipv4/tunnel4.ko:',
      'kernel/fs/isofs/isofs.ko:',
    ].join('\n'),
  );
  assert.deepEqual(imageModulesToLoad(deps), [
    'kernel/crypto/xor.ko',
    'kernel/fs/fat/fat.ko',
    'kernel/fs/isofs/isofs.ko',
    'kernel/lib/crc-ccitt.ko',
    'kernel/drivers/block/loop.ko',
    'kernel/drivers/net/dummy.ko',
    'kernel/net/ipv4/tunnel4.ko',
  ]);
  const many = parseModulesDep(
    Array.from({ length: 20 }, (_, i) => `kernel/drivers/misc/m${i}.ko:\nkernel/lib/l${i}.ko:`).join('\n'),
  );
  const chosen = imageModulesToLoad(many);
  assert.equal(IMAGE_MODULES_LIMIT, 8);
  assert.equal(chosen.length, IMAGE_MODULES_LIMIT);
  assert.ok(chosen.every((p) => p.startsWith('kernel/lib/')));
  // kernel/libfoo is not kernel/lib.
  assert.deepEqual(imageModulesToLoad(parseModulesDep('kernel/libfoo/a.ko:\nkernel/drivers/b.ko:')), [
    'kernel/drivers/b.ko',
    'kernel/libfoo/a.ko',
  ]);
  assert.deepEqual(imageModulesToLoad(new Map()), []);
});

test('pathsOfNames finds modules by the names modinfo depends gives, - or _', () => {
  const deps = parseModulesDep(
    'kernel/lib/crc-ccitt.ko:\nkernel/drivers/md/dm-mod.ko.xz:\nkernel/lib/libcrc32c.ko.zst:\nkernel/fs/fat/fat.ko:',
  );
  assert.deepEqual(pathsOfNames(deps, ['crc_ccitt', 'dm-mod', 'libcrc32c']), [
    'kernel/lib/crc-ccitt.ko',
    'kernel/drivers/md/dm-mod.ko.xz',
    'kernel/lib/libcrc32c.ko.zst',
  ]);
  assert.deepEqual(pathsOfNames(deps, ['no_such_module']), []);
  assert.deepEqual(pathsOfNames(deps, []), []);
});

test('readModulesDep of a modules.dep that is not there is empty', async () => {
  assert.deepEqual(await readModulesDep(join(work, 'nowhere/modules.dep')), new Map());
});

/** A rootfs with busybox, an image's modules directory and a module built against the headers. */
async function fakeRootfs(): Promise<void> {
  await put('bin/busybox', '#!busybox\n');
  const deps = [
    'kernel/lib/crc-ccitt.ko:',
    'kernel/crypto/xor.ko: kernel/lib/raid6/raid6_pq.ko',
    'kernel/lib/raid6/raid6_pq.ko:',
    'kernel/drivers/md/dm-mod.ko: kernel/lib/crc-ccitt.ko',
    'kernel/drivers/net/dummy.ko:',
    'kernel/net/netfilter/nf_conntrack.ko: kernel/lib/libcrc32c.ko',
    'kernel/lib/libcrc32c.ko:',
  ];
  await put(`${MODULES}/modules.dep`, `${deps.join('\n')}\n`);
  await put(`${MODULES}/modules.alias`, 'alias dm-mod dm_mod\n');
  await put(`${MODULES}/modules.order`, '');
  await put(`${MODULES}/build/Makefile`, 'not an index\n');
  for (const line of deps) {
    const path = line.slice(0, line.indexOf(':'));
    await put(`${MODULES}/${path}`, `ko ${path}`);
  }
  await put('tmp/kpkg-module/x.ko', 'built ko');
}

test('planInitramfs: busybox, the indexes, the modules to load and what they and the built module need', async () => {
  await fakeRootfs();
  const plan = await planInitramfs({
    root,
    release: RELEASE,
    built: [{ path: '/tmp/kpkg-module/x.ko', depends: ['dm_mod'] }],
  });
  assert.equal(plan.root, root);
  assert.equal(plan.busybox, join(root, 'bin/busybox'));
  assert.equal(plan.modulesDir, join(root, MODULES));
  assert.deepEqual(plan.indexFiles, ['modules.alias', 'modules.dep', 'modules.order']);
  assert.deepEqual(plan.builtModules, [{ host: join(root, 'tmp/kpkg-module/x.ko'), name: 'x' }]);
  // All 7 modules fit under the limit; nf_conntrack needs libcrc32c.
  assert.deepEqual(plan.imageModulePaths, [
    'kernel/crypto/xor.ko',
    'kernel/drivers/md/dm-mod.ko',
    'kernel/drivers/net/dummy.ko',
    'kernel/lib/crc-ccitt.ko',
    'kernel/lib/libcrc32c.ko',
    'kernel/lib/raid6/raid6_pq.ko',
    'kernel/net/netfilter/nf_conntrack.ko',
  ]);
  assert.deepEqual(plan.loads.at(-1), { name: 'x', load: { with: 'insmod', path: '/kpkg/0-x.ko' } });
  assert.deepEqual(
    plan.loads.slice(0, 4).map((l) => [l.name, l.load.with]),
    [
      ['xor', 'modprobe'],
      ['crc_ccitt', 'modprobe'],
      ['libcrc32c', 'modprobe'],
      ['raid6_pq', 'modprobe'],
    ],
  );
});

interface Read {
  name: string;
  type: string;
  mode: number;
  data: string;
}

async function readBack(path: string): Promise<Read[]> {
  const out: Read[] = [];
  for await (const e of readCpio(createReadStream(path)))
    out.push({ name: e.name, type: e.type, mode: e.mode & 0o7777, data: (await e.bytes()).toString('utf8') });
  return out;
}

test('writeInitramfs: the init first after the directories, and only what the plan chose', async () => {
  await fakeRootfs();
  // Many hardware-free modules: the driver modules are left out, but dm-mod is in as the built module's dependency.
  const extra = Array.from({ length: 10 }, (_, i) => `kernel/lib/l${i}.ko:`);
  await put(
    `${MODULES}/modules.dep`,
    `kernel/drivers/md/dm-mod.ko: kernel/lib/crc-ccitt.ko\nkernel/drivers/net/dummy.ko:\nkernel/lib/crc-ccitt.ko:\n${extra.join('\n')}\n`,
  );
  for (const line of extra) await put(`${MODULES}/${line.slice(0, -1)}`, line);
  const plan = await planInitramfs({
    root,
    release: RELEASE,
    built: [{ path: '/tmp/kpkg-module/x.ko', depends: ['dm-mod'] }],
  });
  const init = initScript({ nonce: 'abc123', modules: plan.loads, unload: true });
  const out = join(work, 'initramfs.cpio');
  const size = await writeInitramfs(plan, init, out);
  const entries = await readBack(out);
  assert.ok(size > 0);

  const dirs = entries.filter((e) => e.type === 'dir');
  const firstFile = entries.findIndex((e) => e.type !== 'dir');
  assert.equal(firstFile, dirs.length, 'every directory comes before the first file');
  assert.deepEqual(entries[firstFile], { name: 'init', type: 'file', mode: 0o755, data: init });
  for (const d of dirs) assert.equal(d.mode, 0o755, d.name);

  // Every parent directory is there, before its children.
  const seen = new Set<string>();
  for (const e of entries) {
    const parent = dirname(e.name);
    if (parent !== '.') assert.ok(seen.has(parent), `${parent} comes before ${e.name}`);
    seen.add(e.name);
  }
  for (const d of ['dev', 'proc', 'sys', 'tmp', 'sbin', 'usr/bin', 'usr/sbin', 'bin', 'kpkg'])
    assert.ok(seen.has(d), d);

  const files = new Map(entries.filter((e) => e.type === 'file').map((e) => [e.name, e]));
  assert.deepEqual(files.get('bin/busybox'), { name: 'bin/busybox', type: 'file', mode: 0o755, data: '#!busybox\n' });
  assert.deepEqual(files.get('kpkg/0-x.ko'), { name: 'kpkg/0-x.ko', type: 'file', mode: 0o644, data: 'built ko' });
  const modules = [...files.keys()].filter((n) => n.endsWith('.ko') && n.startsWith('lib/'));
  assert.deepEqual(
    modules.sort(),
    [
      'kernel/drivers/md/dm-mod.ko',
      'kernel/lib/crc-ccitt.ko',
      ...Array.from({ length: 7 }, (_, i) => `kernel/lib/l${i}.ko`),
    ]
      .map((p) => `${MODULES}/${p}`)
      .sort(),
  );
  assert.ok(!files.has(`${MODULES}/kernel/drivers/net/dummy.ko`));
  assert.ok(!files.has(`${MODULES}/build/Makefile`));
  assert.equal(files.get(`${MODULES}/modules.alias`)?.data, 'alias dm-mod dm_mod\n');
  assert.ok(files.has(`${MODULES}/modules.dep`));
  assert.equal(new Set(entries.map((e) => e.name)).size, entries.length, 'no name twice');
});

test('planInitramfs follows the rootfs symlinks inside the rootfs', async () => {
  await fakeRootfs();
  await rm(join(root, 'bin/busybox'));
  await put('usr/bin/busybox', 'real busybox');
  await symlink('/usr/bin/busybox', join(root, 'bin/busybox'));
  const plan = await planInitramfs({ root, release: RELEASE, built: [] });
  assert.equal(plan.busybox, join(root, 'usr/bin/busybox'));
  const out = join(work, 'initramfs.cpio');
  await writeInitramfs(plan, initScript({ nonce: 'n1', modules: plan.loads, unload: false }), out);
  const busybox = (await readBack(out)).find((e) => e.name === 'bin/busybox');
  assert.deepEqual(busybox, { name: 'bin/busybox', type: 'file', mode: 0o755, data: 'real busybox' });
});

test('a rootfs without busybox cannot be written', async () => {
  await fakeRootfs();
  await rm(join(root, 'bin/busybox'));
  const plan = await planInitramfs({ root, release: RELEASE, built: [] });
  await assert.rejects(writeInitramfs(plan, '#!/bin/busybox sh\n', join(work, 'initramfs.cpio')), { code: 'ENOENT' });
});

test('modules that are symlinks are read inside the rootfs, not on this machine', async () => {
  await fakeRootfs();
  // In the rootfs, /etc/hostname is the rootfs's own; an absolute link must not reach this machine's.
  await put('etc/hostname', 'rootfs hostname\n');
  await put(`usr/lib/kpkg-mods/crc-ccitt.ko`, 'ko from /usr/lib');
  await rm(join(root, MODULES, 'kernel/lib/crc-ccitt.ko'));
  await symlink('/usr/lib/kpkg-mods/crc-ccitt.ko', join(root, MODULES, 'kernel/lib/crc-ccitt.ko'));
  await rm(join(root, MODULES, 'kernel/drivers/net/dummy.ko'));
  await symlink('/etc/hostname', join(root, MODULES, 'kernel/drivers/net/dummy.ko'));
  const plan = await planInitramfs({ root, release: RELEASE, built: [] });
  const out = join(work, 'initramfs.cpio');
  await writeInitramfs(plan, initScript({ nonce: 'n1', modules: plan.loads, unload: false }), out);
  const files = new Map((await readBack(out)).map((e) => [e.name, e.data]));
  assert.equal(files.get(`${MODULES}/kernel/lib/crc-ccitt.ko`), 'ko from /usr/lib');
  assert.equal(files.get(`${MODULES}/kernel/drivers/net/dummy.ko`), 'rootfs hostname\n');
});

test('a modules.dep that is an absolute symlink is read inside the rootfs', async () => {
  await fakeRootfs();
  await put('usr/lib/kpkg-mods/modules.dep', 'kernel/lib/crc-ccitt.ko:\n');
  await rm(join(root, MODULES, 'modules.dep'));
  await symlink('/usr/lib/kpkg-mods/modules.dep', join(root, MODULES, 'modules.dep'));
  const plan = await planInitramfs({ root, release: RELEASE, built: [] });
  assert.deepEqual(plan.imageModulePaths, ['kernel/lib/crc-ccitt.ko']);
});
