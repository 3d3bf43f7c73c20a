import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { PackageDescription, PackageEntry } from '../../package/model.js';
import { KpkgError } from '../../util/errors.js';
import { mtreeQuote } from './mtree.js';
import { pacmanFileName, pacmanVersion } from './names.js';
import { pacmanPackager, writePacman } from './write-pacman.js';

const run = promisify(execFile);
const MTIME = 1700000000;
const env = { ...process.env, TZ: 'UTC', LC_ALL: 'C' };
const TOOL = { name: 'kpkg', version: '0.0.0-test' };
const LONG = `/usr/src/linux-headers-6.1.0-kpkg/${'d'.repeat(120)}/deep header.h`;
const isRoot = process.getuid?.() === 0;

let work = '';
let pkg: PackageDescription;
const toolBytes = Buffer.from(Array.from({ length: 70000 }, (_, i) => (i * 31) % 256));
const preinst = '#!/bin/sh -e\necho "preinst $*"\n';
const postinst = '#!/bin/sh\nset -e\nif [ "$1" = configure ]; then echo \'postinst\' "$@"; fi\nexit 0\n';
const prerm = '#!/bin/sh\necho "prerm $*"\n';

const bytes = (path: string, text: string, mode = 0o644): PackageEntry => ({
  kind: 'file',
  path,
  mode,
  size: Buffer.byteLength(text),
  source: { from: 'bytes', data: Buffer.from(text) },
});

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-pacman-'));
  await writeFile(join(work, 'tool'), toolBytes);
  // Unsorted, without parent directories: the writer completes and orders them.
  const entries: PackageEntry[] = [
    { kind: 'symlink', path: '/usr/lib/kpkg-test-x/link', target: '../kpkg-test/tool' },
    {
      kind: 'file',
      path: '/usr/lib/kpkg-test/tool',
      mode: 0o755,
      size: toolBytes.length,
      source: { from: 'disk', path: join(work, 'tool') },
    },
    bytes('/usr/lib/kpkg-test/a.txt', 'a\n'),
    bytes('/usr/lib/kpkg-test/empty', ''),
    bytes('/usr/share/kpkg-test/with space/a file=#1', 'space\n'),
    bytes('/usr/share/kpkg-test/private/one', '1', 0o600),
    bytes('/usr/share/kpkg-test/private/two', '2', 0o600),
    bytes(LONG, '#define DEEP 1\n'),
    { kind: 'dir', path: '/etc/kpkg-test.d', mode: 0o750 },
    { kind: 'ghost', path: '/boot/initrd.img-kpkg', mode: 0o644 },
  ];
  pkg = {
    name: 'kpkg-test',
    version: '1:6.1.0-rc1-2',
    arch: 'arm64',
    summary: 'synthetic  package written\tby kpkg tests',
    description: 'Not shown by pacman.',
    maintainer: 'Kpkg Test <kpkg@example.org>',
    homepage: 'https://example.org/kpkg',
    license: 'GPL-2.0-only',
    depends: [{ name: 'kmod' }, { name: 'linux-firmware', version: { op: '>=', version: '20230101' } }],
    provides: [{ name: 'kpkg-virtual', version: { op: '=', version: '1.0' } }],
    conflicts: [{ name: 'kpkg-old', version: { op: '<<', version: '1.0' } }],
    replaces: [{ name: 'kpkg-older' }],
    scripts: { preinst, postinst, prerm },
    entries,
    mtime: MTIME,
  };
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** The paths of the tree, relative, as makepkg lists them (byte order of the whole path). */
const TREE = [
  'etc',
  'etc/kpkg-test.d',
  'usr',
  'usr/lib',
  'usr/lib/kpkg-test',
  'usr/lib/kpkg-test-x',
  'usr/lib/kpkg-test-x/link',
  'usr/lib/kpkg-test/a.txt',
  'usr/lib/kpkg-test/empty',
  'usr/lib/kpkg-test/tool',
  'usr/share',
  'usr/share/kpkg-test',
  'usr/share/kpkg-test/private',
  'usr/share/kpkg-test/private/one',
  'usr/share/kpkg-test/private/two',
  'usr/share/kpkg-test/with space',
  'usr/share/kpkg-test/with space/a file=#1',
  'usr/src',
  'usr/src/linux-headers-6.1.0-kpkg',
  `usr/src/linux-headers-6.1.0-kpkg/${'d'.repeat(120)}`,
  LONG.slice(1),
];

let written = '';
async function thePackage(): Promise<string> {
  if (written === '') {
    written = join(work, pacmanFileName(pkg, 'zstd'));
    await writePacman(pkg, written, { compression: 'zstd', buildTool: TOOL });
  }
  return written;
}

/** Runs makepkg's own list_package_files and .MTREE command (makepkg 6.0.2 create_package) in `dir`. */
async function makepkgListAndMtree(dir: string): Promise<{ list: string[]; mtree: string }> {
  const list = "export LC_COLLATE=C; shopt -s dotglob globstar; printf '%s\\0' **/*";
  const { stdout: names } = await run('bash', ['-c', list], { cwd: dir, env });
  const mtreeCommand = `(${list}) | LANG=C bsdtar -cnf - --format=mtree --options='!all,use-set,type,uid,gid,mode,time,size,md5,sha256,link' --uid 0 --gid 0 --null --files-from - --exclude .MTREE`;
  const { stdout: mtree } = await run('bash', ['-c', mtreeCommand], { cwd: dir, env, maxBuffer: 1 << 26 });
  return { list: names.split('\0').filter((name) => name !== ''), mtree };
}

void describe('writePacman', () => {
  void it('names the file as makepkg does', () => {
    assert.equal(pacmanPackager.fileName(pkg, { compression: 'zstd' }), 'kpkg-test-1:6.1.0_rc1-2-aarch64.pkg.tar.zst');
    assert.equal(
      pacmanPackager.fileName({ ...pkg, version: '6.12.9-1', arch: 'amd64' }, { compression: 'xz' }),
      'kpkg-test-6.12.9-1-x86_64.pkg.tar.xz',
    );
    assert.equal(
      pacmanPackager.fileName({ ...pkg, version: '6.12.9-1', arch: 'all' }, { compression: 'gzip' }),
      'kpkg-test-6.12.9-1-any.pkg.tar.gz',
    );
    assert.deepEqual(pacmanPackager.compressions, ['zstd', 'xz', 'gzip']);
    assert.throws(() => pacmanPackager.fileName({ ...pkg, arch: 'sparc64' }, { compression: 'zstd' }), KpkgError);
    assert.throws(() => pacmanPackager.fileName(pkg, { compression: 'none' }), KpkgError);
    assert.throws(() => pacmanVersion('6.1.0'), KpkgError); // no pkgrel
    assert.throws(() => pacmanVersion('6.1.0-1~bpo12+1'), KpkgError); // not a pacman pkgrel
    assert.equal(mtreeQuote('a b#c=d\\e\u00e9'), 'a\\040b\\043c\\075d\\134e\\303\\251');
  });

  void it('pacman -Qip and -Qlp accept it and show the fields and exactly the entries', async () => {
    const file = await thePackage();
    const { stdout: info } = await run('pacman', ['-Qip', file], { env });
    for (const line of [
      'Name            : kpkg-test',
      'Version         : 1:6.1.0_rc1-2',
      'Description     : synthetic package written by kpkg tests',
      'Architecture    : aarch64',
      'URL             : https://example.org/kpkg',
      'Licenses        : GPL-2.0-only',
      'Provides        : kpkg-virtual=1.0',
      'Depends On      : kmod  linux-firmware>=20230101',
      'Conflicts With  : kpkg-old<1.0',
      'Replaces        : kpkg-older',
      'Packager        : Kpkg Test <kpkg@example.org>',
      'Build Date      : Tue Nov 14 22:13:20 2023',
      'Install Script  : Yes',
    ]) {
      assert.ok(info.includes(`${line}\n`), `missing ${JSON.stringify(line)} in\n${info}`);
    }
    const installed = toolBytes.length + 2 + 6 + 1 + 1 + 15; // regular files only (makepkg's dirsize)
    assert.match(info, new RegExp(`Installed Size  : ${(installed / 1024).toFixed(2)} KiB\\n`));
    const pkginfo = (await run('bsdtar', ['-xOf', file, '.PKGINFO'], { env })).stdout;
    assert.match(pkginfo, new RegExp(`\\nsize = ${installed}\\n`));
    assert.match(pkginfo, /\nxdata = pkgtype=pkg\n/);

    const { stdout: list } = await run('pacman', ['-Qlp', file], { env });
    const listed = list.trimEnd().split('\n');
    // pacman lists directories with a trailing '/' and sorts the paths as they are then spelled.
    const isDir = (path: string): boolean =>
      !pkg.entries.some((entry) => entry.path === `/${path}` && entry.kind !== 'dir');
    const expected = TREE.map((path) => `kpkg-test /${path}${isDir(path) ? '/' : ''}`).sort((a, b) =>
      Buffer.compare(Buffer.from(a), Buffer.from(b)),
    );
    assert.deepEqual(listed, expected);
  });

  void it('has the metadata first, then the tree in makepkg order, and the .MTREE bsdtar makes of the same tree', async () => {
    const file = await thePackage();
    const { stdout: names } = await run('bsdtar', ['-tf', file], { env });
    assert.deepEqual(
      names
        .trimEnd()
        .split('\n')
        .map((name) => name.replace(/\/$/, '')),
      ['.BUILDINFO', '.INSTALL', '.MTREE', '.PKGINFO', ...TREE],
    );

    // The package extracted, then makepkg's own steps run on that tree.
    const tree = join(work, 'extracted');
    await mkdir(tree);
    await run('bsdtar', ['-xpf', file, '-C', tree], { env });
    const mtreeGz = await readFile(join(tree, '.MTREE'));
    assert.deepEqual([...mtreeGz.subarray(0, 10)], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]); // gzip -n: no name, mtime 0
    const ours = gunzipSync(mtreeGz).toString('utf8');
    await rm(join(tree, '.MTREE'));
    await run('bash', ['-c', `find . -exec touch -h -d @${MTIME} {} +`], { cwd: tree, env });
    const reference = await makepkgListAndMtree(tree);
    assert.equal(ours, reference.mtree);
    assert.deepEqual(reference.list, ['.BUILDINFO', '.INSTALL', '.PKGINFO', ...TREE]);

    // Every entry and parent listed, with the right digest.
    assert.ok(ours.startsWith('#mtree\n/set type=file uid=0 gid=0 mode=644\n'), ours);
    for (const path of TREE) assert.ok(ours.includes(`\n./${mtreeQuote(path)} `), `${path} not in .MTREE`);
    assert.ok(ours.includes(`./usr/lib/kpkg-test/tool time=${MTIME}.0 mode=755 size=${toolBytes.length} md5digest=`));
    assert.ok(ours.includes(`sha256digest=${sha256(toolBytes)}\n`));
    assert.ok(ours.includes(`./usr/lib/kpkg-test-x/link time=${MTIME}.0 mode=777 type=link link=../kpkg-test/tool\n`));
    assert.ok(!ours.includes('boot'), 'a ghost (or its parent) in .MTREE');
    await rm(tree, { recursive: true });
  });

  void it(
    'pacman -U installs it without warnings, the files match, and pacman -Qkk finds nothing altered',
    { skip: !isRoot && 'pacman -U needs root' },
    async () => {
      const file = await thePackage();
      const base = join(work, 'install');
      const root = join(base, 'root');
      for (const dir of [root, join(base, 'db'), join(base, 'cache'), join(base, 'gpg')])
        await mkdir(dir, { recursive: true });
      await writeFile(
        join(base, 'pacman.conf'),
        '[options]\nArchitecture = aarch64\nSigLevel = Never\nLocalFileSigLevel = Never\n',
      );
      const common = ['--config', join(base, 'pacman.conf'), '--root', root, '--dbpath', join(base, 'db')];
      const result = await run(
        'pacman',
        [
          '-U',
          ...common,
          '--cachedir',
          join(base, 'cache'),
          '--logfile',
          join(base, 'pacman.log'),
          '--gpgdir',
          join(base, 'gpg'),
          '--noconfirm',
          '--nodeps',
          '--nodeps',
          '--noscriptlet',
          '--noprogressbar',
          file,
        ],
        { env },
      );
      const output = result.stdout + result.stderr;
      assert.match(output, /installing kpkg-test/);
      assert.doesNotMatch(output, /warning|error|skipping extraction/i, output);

      for (const path of TREE) {
        const installed = join(root, path);
        const info = await lstat(installed);
        const entry = pkg.entries.find((candidate) => candidate.path === `/${path}`);
        if (entry?.kind === 'symlink') {
          assert.ok(info.isSymbolicLink(), path);
          assert.equal(await readlink(installed), entry.target);
        } else if (entry?.kind === 'file') {
          assert.ok(info.isFile(), path);
          assert.equal(info.mode & 0o7777, entry.mode, path);
          const data = entry.source.from === 'bytes' ? entry.source.data : await readFile(entry.source.path);
          assert.equal(sha256(await readFile(installed)), sha256(data), path);
        } else {
          assert.ok(info.isDirectory(), path);
          assert.equal(info.mode & 0o7777, entry?.kind === 'dir' ? entry.mode : 0o755, path);
        }
      }
      await assert.rejects(lstat(join(root, 'boot')));

      const { stdout: check } = await run('pacman', ['-Qkk', ...common], { env });
      assert.match(check, /kpkg-test: \d+ total files, 0 altered files/);
    },
  );

  void it('.INSTALL runs the scripts with dpkg arguments', async () => {
    const file = await thePackage();
    const install = join(work, 'INSTALL');
    await writeFile(install, (await run('bsdtar', ['-xOf', file, '.INSTALL'], { env })).stdout);
    const call = async (fn: string, ...args: string[]): Promise<string> =>
      (await run('sh', ['-c', `. "$0"; ${fn} "$@"`, install, ...args], { env })).stdout;
    assert.equal(await call('pre_install', '1:6.1.0_rc1-2'), 'preinst install\n');
    assert.equal(await call('post_install', '1:6.1.0_rc1-2'), 'postinst configure\n');
    assert.equal(await call('pre_upgrade', '1:6.1.0_rc1-2', '1:6.1.0_rc1-1'), 'preinst upgrade 1:6.1.0_rc1-1\n');
    assert.equal(await call('post_upgrade', '1:6.1.0_rc1-2', '1:6.1.0_rc1-1'), 'postinst configure 1:6.1.0_rc1-1\n');
    assert.equal(await call('pre_remove', '1:6.1.0_rc1-2'), 'prerm remove\n');
    assert.equal(await call('post_remove', '1:6.1.0_rc1-2'), ''); // no postrm: a no-op
    await assert.rejects(
      writePacman({ ...pkg, scripts: { postinst: 'echo no interpreter\n' } }, join(work, 'bad.pkg.tar.zst'), {
        compression: 'zstd',
        buildTool: TOOL,
      }),
      KpkgError,
    );
  });

  void it('writes identical bytes twice, with each compression', async () => {
    for (const compression of ['zstd', 'xz', 'gzip'] as const) {
      const first = join(work, `one-${compression}`);
      const second = join(work, `two-${compression}`);
      const a = await pacmanPackager.write(pkg, first, { compression });
      const b = await writePacman(pkg, second, { compression });
      assert.equal(a.sha256, b.sha256, compression);
      assert.equal(a.sha256, sha256(await readFile(first)));
      assert.equal(a.size, (await stat(first)).size);
      await run('pacman', ['-Qip', second], { env }); // each compression readable by pacman
    }
  });

  void it('a failed write leaves nothing behind and keeps an earlier file', async () => {
    const dir = join(work, 'failing');
    await mkdir(dir);
    const out = join(dir, 'kpkg-test.pkg.tar.zst');
    const missing: PackageEntry = {
      kind: 'file',
      path: '/usr/lib/kpkg-test/missing',
      mode: 0o644,
      size: 4,
      source: { from: 'disk', path: join(work, 'no-such-file') },
    };
    await assert.rejects(
      writePacman({ ...pkg, entries: [...pkg.entries, missing] }, out, { compression: 'zstd' }),
      KpkgError,
    );
    assert.deepEqual(await readdir(dir), []);

    await writeFile(out, 'earlier');
    const wrongSize: PackageEntry = {
      kind: 'file',
      path: '/usr/lib/kpkg-test/short',
      mode: 0o644,
      size: 5,
      source: { from: 'disk', path: join(work, 'tool') },
    };
    await assert.rejects(
      writePacman({ ...pkg, entries: [...pkg.entries, wrongSize] }, out, { compression: 'zstd' }),
      KpkgError,
    );
    assert.deepEqual(await readdir(dir), ['kpkg-test.pkg.tar.zst']);
    assert.equal(await readFile(out, 'utf8'), 'earlier');
  });

  void it('refuses what pacman cannot say', async () => {
    const out = join(work, 'refused.pkg.tar.zst');
    const alternatives = { ...pkg, depends: [[{ name: 'initramfs-tools' }, { name: 'linux-initramfs-tool' }]] };
    await assert.rejects(
      writePacman(alternatives, out, { compression: 'zstd' }),
      (error: unknown) =>
        error instanceof KpkgError &&
        error.message.includes('kpkg-test') &&
        error.message.includes('initramfs-tools | linux-initramfs-tool'),
    );
    const versionedProvides = { ...pkg, provides: [{ name: 'x', version: { op: '>=' as const, version: '1' } }] };
    await assert.rejects(writePacman(versionedProvides, out, { compression: 'zstd' }), KpkgError);
    const dotted = { ...pkg, entries: [bytes('/.hidden', 'x')] };
    await assert.rejects(writePacman(dotted, out, { compression: 'zstd' }), KpkgError);
    await assert.rejects(stat(out));
  });
});
