import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { PackageDescription } from '../../package/model.js';
import { writeRpm } from './write-rpm.js';

const run = promisify(execFile);
const env = { ...process.env, LC_ALL: 'C' };
const BIG = 4 * 1024 * 1024 * 1024 + 1;

let work = '';
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-rpm-large-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

// A file of 4 GiB + 1 byte (sparse on disk): newc cannot hold its size, so the header gets
// LONGFILESIZES/LONGSIZE and the payload rpm's stripped cpio, with rpmlib(LargeFiles).
void describe('writeRpm with a file of 4 GiB and more', () => {
  void it('rpm -K, rpm -qp and rpm -i accept it', { timeout: 180_000 }, async (t) => {
    const big = join(work, 'big');
    await writeFile(big, '');
    await truncate(big, BIG);
    const pkg: PackageDescription = {
      name: 'kpkg-large',
      version: '1.0-1',
      arch: 'amd64',
      summary: 'large file',
      description: '',
      maintainer: 'Kpkg Test <kpkg@example.org>',
      mtime: 1700000000,
      entries: [
        { kind: 'dir', path: '/opt/kpkg-large', mode: 0o755 },
        { kind: 'file', path: '/opt/kpkg-large/big', mode: 0o644, size: BIG, source: { from: 'disk', path: big } },
        {
          kind: 'file',
          path: '/opt/kpkg-large/small',
          mode: 0o644,
          size: 6,
          source: { from: 'bytes', data: Buffer.from('small\n') },
        },
        { kind: 'symlink', path: '/opt/kpkg-large/link', target: 'small' },
      ],
    };
    const out = join(work, 'large.rpm');
    const started = Date.now();
    await writeRpm(pkg, out, { compression: 'zstd', level: 1 });
    t.diagnostic(`written in ${Date.now() - started} ms, ${(await stat(out)).size} bytes`);
    const rpm = async (...args: string[]): Promise<string> => (await run('rpm', args, { env })).stdout;
    assert.equal(await rpm('-K', '--nosignature', out), `${out}: digests OK\n`);
    assert.equal(await rpm('-qp', '--qf', '%{LONGSIZE} [%{LONGFILESIZES} ]', out), `${BIG + 6 + 5} 0 ${BIG} 5 6 `);
    assert.match(await rpm('-qp', '--requires', out), /^rpmlib\(LargeFiles\) <= 4\.12\.0-1$/m);
    assert.match(await rpm('-qp', '--qf', '%{LONGARCHIVESIZE}', out), /^\d+$/);
    if (process.getuid?.() !== 0) {
      t.skip('rpm -i needs root');
      return;
    }
    const root = join(work, 'root');
    await mkdir(root);
    await rm(big); // free the space before installing a second copy
    await rpm('-i', '--root', root, '--dbpath', join(root, 'db'), '--nodeps', '--noscripts', out);
    assert.equal((await stat(join(root, 'opt/kpkg-large/big'))).size, BIG);
    assert.deepEqual((await readdir(join(root, 'opt/kpkg-large'))).sort(), ['big', 'link', 'small']);
    const verify = await run('rpm', ['-V', '--root', root, '--dbpath', join(root, 'db'), 'kpkg-large'], { env }).catch(
      (e: unknown) => e as { stdout: string },
    );
    assert.equal(verify.stdout, '');
  });
});
