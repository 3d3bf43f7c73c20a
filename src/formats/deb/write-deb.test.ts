import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { readAr } from '../../archive/ar.js';
import type { PackageDescription } from '../../package/model.js';
import { sortEntries } from '../../package/model.js';
import { KpkgError } from '../../util/errors.js';
import { md5sumsText, writeDeb } from './write-deb.js';
import { env, LONG, MTIME, postinst, samplePackage } from '../../testing/sample-deb.js';

const run = promisify(execFile);

let work = '';
let pkg: PackageDescription;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-deb-'));
  pkg = await samplePackage(work);
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

const sha256 = async (path: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

/** Lays the package's tree out on disk as dpkg-deb -b wants it, with DEBIAN/ from our control member. */
async function materialize(root: string, deb: string): Promise<void> {
  for (const entry of sortEntries(pkg.entries)) {
    const path = join(root, entry.path);
    if (entry.kind === 'dir') {
      await mkdir(path, { recursive: true });
      await chmod(path, entry.mode);
    } else if (entry.kind === 'symlink') {
      await symlink(entry.target, path);
    } else if (entry.kind === 'file') {
      await writeFile(path, entry.source.from === 'bytes' ? entry.source.data : await readFile(entry.source.path));
      await chmod(path, entry.mode);
    }
  }
  await run('dpkg-deb', ['-e', deb, join(root, 'DEBIAN')]);
}

void describe('writeDeb', () => {
  void it('dpkg-deb --info and --contents accept it and show the fields and paths', async () => {
    const out = join(work, 'info.deb');
    const result = await writeDeb(pkg, out, { compression: 'xz' });
    assert.equal(result.path, out);
    assert.equal(result.size, (await stat(out)).size);
    assert.equal(result.sha256, await sha256(out));

    const { stdout: info } = await run('dpkg-deb', ['--info', out], { env });
    for (const line of [
      ' Package: kpkg-test',
      ' Version: 1.0-1',
      ' Architecture: all',
      ' Maintainer: Kpkg Test <kpkg@example.org>',
      ' Depends: kmod, initramfs-tools (>= 0.120) | linux-initramfs-tool',
      ' Section: kernel',
      ' Priority: optional',
      ' Homepage: https://example.org/kpkg',
      ' Description: synthetic package written by kpkg tests',
      '  Checks that the deb writer produces what dpkg-deb produces.',
      '  .',
      '  Second paragraph.',
    ]) {
      assert.ok(info.includes(`${line}\n`), `missing ${JSON.stringify(line)} in\n${info}`);
    }
    assert.match(info, / Installed-Size: \d+\n/);
    assert.match(info, /\d+ bytes,\s+5 lines\s+\*\s+postinst\s+#!\/bin\/sh/);

    const { stdout: contents } = await run('dpkg-deb', ['--contents', out], { env });
    const lines = contents.trim().split('\n');
    const names = lines.map((line) => line.replace(/^(\S+\s+){5}/, ''));
    assert.deepEqual(names.slice(0, 3), ['./', './etc/', './etc/kpkg-test.d/']);
    assert.equal(names.at(-1), './usr/lib/kpkg-test/link -> tool'); // symlinks last, as dpkg-deb
    assert.ok(names.includes(`.${LONG}`));
    assert.ok(lines.every((line) => line.split(/\s+/)[1] === 'root/root'));
    assert.ok(lines.every((line) => line.includes('2023-11-14 22:13')));
    assert.match(
      lines.find((line) => line.endsWith('./usr/lib/kpkg-test/tool')) ?? '',
      /^-rwxr-xr-x root\/root\s+70000 /,
    );

    const members = [];
    for await (const member of readAr([await readFile(out)]))
      members.push([member.name, member.mtime, member.uid, member.gid, member.mode]);
    assert.deepEqual(members, [
      ['debian-binary', MTIME, 0, 0, 0o100644],
      ['control.tar.xz', MTIME, 0, 0, 0o100644],
      ['data.tar.xz', MTIME, 0, 0, 0o100644],
    ]);
  });

  void it('dpkg-deb -x extracts identical content, and the md5sums check out', async () => {
    const out = join(work, 'extract.deb');
    await writeDeb(pkg, out, { compression: 'zstd' });
    const root = join(work, 'extracted');
    await run('dpkg-deb', ['-x', out, root]);
    await run('dpkg-deb', ['-e', out, join(work, 'extracted-control')]);
    for (const entry of pkg.entries) {
      const path = join(root, entry.path);
      if (entry.kind === 'file') {
        const expected =
          entry.source.from === 'bytes' ? Buffer.from(entry.source.data) : await readFile(entry.source.path);
        assert.ok((await readFile(path)).equals(expected), entry.path);
        assert.equal((await lstat(path)).mode & 0o7777, entry.mode, entry.path);
      } else if (entry.kind === 'symlink') {
        assert.equal(await readlink(path), entry.target);
      } else {
        assert.ok((await lstat(path)).isDirectory());
      }
    }
    assert.equal(await readFile(join(work, 'extracted-control', 'postinst'), 'utf8'), postinst);
    assert.equal((await stat(join(work, 'extracted-control', 'postinst'))).mode & 0o777, 0o755);
    const md5sums = await readFile(join(work, 'extracted-control', 'md5sums'), 'utf8');
    assert.equal(md5sums.trim().split('\n').length, 5);
    const { stdout } = await run('md5sum', ['-c', join(work, 'extracted-control', 'md5sums')], { cwd: root });
    assert.equal(
      stdout
        .trim()
        .split('\n')
        .filter((line) => line.endsWith(': OK')).length,
      5,
    );
  });

  for (const compression of ['none', 'xz'] as const) {
    void it(`is byte-identical to dpkg-deb --root-owner-group -Z${compression} of the same tree`, async () => {
      const ours = join(work, `ours-${compression}.deb`);
      await writeDeb(pkg, ours, { compression });
      const root = join(work, `tree-${compression}`);
      await materialize(root, ours);
      const theirs = join(work, `theirs-${compression}.deb`);
      await run('dpkg-deb', ['--root-owner-group', `-Z${compression}`, '--build', root, theirs], { env });
      assert.equal(await sha256(ours), await sha256(theirs));
    });
  }

  void it('builds byte-identical packages from the same input', async () => {
    for (const compression of ['xz', 'zstd', 'gzip', 'none'] as const) {
      const first = await writeDeb(pkg, join(work, `a-${compression}.deb`), { compression });
      const second = await writeDeb(
        { ...pkg, entries: [...pkg.entries].reverse() },
        join(work, `b-${compression}.deb`),
        { compression },
      );
      assert.equal(first.sha256, second.sha256, compression);
    }
  });

  void it('leaves nothing behind when a source file disappears mid-write', async () => {
    const dir = await mkdtemp(join(work, 'fail-'));
    const doomed = join(work, 'src', 'doomed');
    await writeFile(doomed, 'soon gone\n');
    const failing: PackageDescription = {
      ...pkg,
      entries: [
        ...pkg.entries,
        {
          kind: 'file',
          path: '/usr/lib/kpkg-test/zz-doomed',
          mode: 0o644,
          size: 10,
          source: { from: 'disk', path: doomed },
        },
      ],
    };
    await rm(doomed);
    const out = join(dir, 'kpkg-test_1.0-1_all.deb');
    await assert.rejects(
      writeDeb(failing, out, { compression: 'xz' }),
      (error: unknown) => error instanceof KpkgError && error.where === doomed,
    );
    assert.deepEqual(await readdir(dir), []);
  });

  void it('leaves nothing behind when a large file changes size while streamed', async () => {
    const dir = await mkdtemp(join(work, 'fail-'));
    const big = join(work, 'src', 'big');
    await writeFile(big, Buffer.alloc(6 * 1024 * 1024, 1)); // over the whole-file read-ahead limit: streamed
    const failing: PackageDescription = {
      ...pkg,
      entries: [
        ...pkg.entries,
        {
          kind: 'file',
          path: '/usr/lib/kpkg-test/big',
          mode: 0o644,
          size: 5 * 1024 * 1024,
          source: { from: 'disk', path: big },
        },
      ],
    };
    const out = join(dir, 'big.deb');
    await assert.rejects(writeDeb(failing, out, { compression: 'gzip' }), /changed while being packaged/);
    assert.deepEqual(await readdir(dir), []);
  });

  void it('reports an unwritable destination as a KpkgError', async () => {
    const out = join(work, 'no-such-dir', 'x.deb');
    await assert.rejects(
      writeDeb(pkg, out, { compression: 'none' }),
      (error: unknown) => error instanceof KpkgError && error.where === out && /ENOENT/.test(error.message),
    );
  });

  void it('refuses maintainer scripts without an interpreter line, before writing anything', async () => {
    const dir = await mkdtemp(join(work, 'fail-'));
    await assert.rejects(
      writeDeb({ ...pkg, scripts: { postinst: 'echo hi\n' } }, join(dir, 'x.deb'), { compression: 'xz' }),
      /postinst script of kpkg-test must start with an interpreter line/,
    );
    assert.deepEqual(await readdir(dir), []);
  });

  void it('writes md5sums sorted by byte order of the path, two spaces, no leading slash', () => {
    const text = md5sumsText(
      new Map([
        ['usr/a/b', '0'.repeat(32)],
        ['usr/a-c/z', '1'.repeat(32)],
      ]),
    );
    assert.equal(text, `${'1'.repeat(32)}  usr/a-c/z\n${'0'.repeat(32)}  usr/a/b\n`);
  });
});
