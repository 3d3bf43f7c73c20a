import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { PackageDescription } from '../../package/model.js';
import { KpkgError } from '../../util/errors.js';
import { tarballPackager } from './write-tarball.js';

const run = promisify(execFile);
let work = '';
let pkg: PackageDescription;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-tarball-'));
  await writeFile(join(work, 'Image.gz'), 'boot image');
  const text = (data: string): { size: number; source: { from: 'bytes'; data: Uint8Array } } => ({
    size: data.length,
    source: { from: 'bytes', data: Buffer.from(data) },
  });
  pkg = {
    name: 'linux-6.1.0-arm64',
    version: '6.1.0',
    arch: 'arm64',
    summary: 'Linux kernel 6.1.0 for arm64',
    description: '',
    maintainer: 'Kpkg Test <kpkg@example.org>',
    mtime: 1700000000,
    scripts: { postinst: '#!/bin/sh\necho dropped\n' },
    // Unordered, parents missing, a ghost: the writer orders, completes and drops.
    entries: [
      { kind: 'symlink', path: '/lib/modules/6.1.0/build/source', target: '../../../../usr/src/x' },
      { kind: 'file', path: '/lib/modules/6.1.0/build/scripts/tool', mode: 0o755, ...text('#!/bin/sh\n') },
      {
        kind: 'file',
        path: '/boot/vmlinuz-6.1.0',
        mode: 0o644,
        size: 10,
        source: { from: 'disk', path: join(work, 'Image.gz') },
      },
      { kind: 'file', path: '/lib/modules/6.1.0/modules.dep', mode: 0o644, ...text('') },
      { kind: 'ghost', path: '/boot/ghost', mode: 0o644 },
    ],
  };
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

test('GNU tar as make tar-pkg writes it: relative names, directories first and with a slash, root-owned, sorted', async () => {
  const options = { compression: 'gzip' as const };
  const file = join(work, tarballPackager.fileName(pkg, options));
  assert.equal(file, join(work, 'linux-6.1.0-arm64.tar.gz'));
  const written = await tarballPackager.write(pkg, file, options);
  assert.equal(written.size, (await readFile(file)).length);
  const { stdout } = await run('tar', ['-tvzf', file], { env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' } });
  const rows = stdout.trim().split('\n');
  assert.deepEqual(
    rows.map((r) => r.slice(r.indexOf('2023-11-14 22:13 ') + 17)),
    [
      'boot/',
      'boot/vmlinuz-6.1.0',
      'lib/',
      'lib/modules/',
      'lib/modules/6.1.0/',
      'lib/modules/6.1.0/build/',
      'lib/modules/6.1.0/build/scripts/',
      'lib/modules/6.1.0/build/scripts/tool',
      'lib/modules/6.1.0/build/source -> ../../../../usr/src/x',
      'lib/modules/6.1.0/modules.dep',
    ],
  );
  assert.ok(
    rows.every((r) => r.includes(' root/root ') && r.includes('2023-11-14 22:13')),
    stdout,
  );
  assert.match(rows.find((r) => r.endsWith('/tool')) ?? '', /^-rwxr-xr-x /);
  const again = await tarballPackager.write(pkg, join(work, 'again.tar.gz'), options);
  assert.equal(again.sha256, written.sha256, 'identical bytes on a second write');
});

test('a failed write leaves nothing at the output path', async () => {
  const broken: PackageDescription = {
    ...pkg,
    entries: [
      { kind: 'file', path: '/boot/gone', mode: 0o644, size: 3, source: { from: 'disk', path: join(work, 'missing') } },
    ],
  };
  const out = join(work, 'failed');
  await run('mkdir', ['-p', out]);
  await assert.rejects(tarballPackager.write(broken, join(out, 'x.tar.xz'), { compression: 'xz' }), KpkgError);
  assert.deepEqual(await readdir(out), []);
});
