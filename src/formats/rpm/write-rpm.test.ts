import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { openRpm, RPMTAG } from '../../archive/rpm.js';
import type { PackageDescription, PackageEntry } from '../../package/model.js';
import { diskEntry, toolBytes } from '../../testing/sample-deb.js';
import { KpkgError } from '../../util/errors.js';
import { rpmPackager, writeRpm } from './write-rpm.js';

const run = promisify(execFile);
const env = { ...process.env, LC_ALL: 'C', TZ: 'UTC' };
const MTIME = 1700000000;
const TOP = '/usr/src/kpkg-test';
const LONG = `${TOP}/${'d'.repeat(120)}/${'e'.repeat(150)}/deep.h`;

async function rpm(args: readonly string[]): Promise<string> {
  return (await run('rpm', args, { env, maxBuffer: 64 * 1024 * 1024 })).stdout;
}

/** `rpm2cpio FILE | cpio -t`: the payload's names as GNU cpio lists them. */
async function payloadNames(file: string): Promise<string[]> {
  const rpm2cpio = spawn('rpm2cpio', [file]);
  const cpio = spawn('cpio', ['-t', '--quiet'], { env });
  rpm2cpio.stdout.pipe(cpio.stdin);
  let out = '';
  cpio.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const code = (child: typeof cpio): Promise<number | null> =>
    new Promise((resolve, reject) => child.on('error', reject).on('close', resolve));
  const [a, b] = await Promise.all([code(rpm2cpio), code(cpio)]);
  assert.deepEqual([a, b], [0, 0], 'rpm2cpio | cpio -t failed');
  return out.trim().split('\n');
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

let work = '';
let pkg: PackageDescription;
const scripts = {
  preinst: '#!/bin/sh\necho pre "$1"\n',
  postinst: '#!/bin/sh\nset -e\necho post "$1"\n\n',
  prerm: '#!/bin/sh\necho preun "$1"\n',
  postrm: '#!/bin/sh -e\necho postun "$1"\n',
};

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-rpm-'));
  const src = join(work, 'src');
  await mkdir(src);
  await writeFile(join(src, 'tool'), toolBytes);
  await writeFile(join(src, 'deep.h'), '#define DEEP 1\n');
  const entries: PackageEntry[] = [
    { kind: 'symlink', path: `${TOP}/link`, target: 'bin/tool' },
    await diskEntry(`${TOP}/bin/tool`, join(src, 'tool'), 0o755),
    { kind: 'dir', path: TOP, mode: 0o755 },
    { kind: 'dir', path: `${TOP}/bin`, mode: 0o755 },
    { kind: 'file', path: `${TOP}/empty`, mode: 0o644, size: 0, source: { from: 'bytes', data: new Uint8Array(0) } },
    { kind: 'file', path: `${TOP}/a-b`, mode: 0o600, size: 5, source: { from: 'bytes', data: Buffer.from('a-b!\n') } },
    await diskEntry(LONG, join(src, 'deep.h')),
    { kind: 'ghost', path: '/boot/vmlinuz-kpkg-test', mode: 0o644 },
  ];
  pkg = {
    name: 'kpkg-test',
    version: '2:6.1.0~rc1-3',
    arch: 'arm64',
    summary: 'synthetic package written by kpkg tests',
    description: 'Checks the rpm writer.\n\nSecond paragraph.',
    maintainer: 'Kpkg Test <kpkg@example.org>',
    homepage: 'https://example.org/kpkg',
    license: 'GPL-2.0-only',
    depends: [
      { name: 'kmod' },
      [{ name: 'dracut', version: { op: '>=', version: '050' } }, { name: 'initramfs-tools' }],
      { name: 'coreutils', version: { op: '<<', version: '99' } },
      // Soname requires as rpm's elfdeps writes them (a headers package's programs).
      { name: 'libc.so.6()(64bit)' },
      { name: 'libc.so.6(GLIBC_2.34)(64bit)' },
    ],
    recommends: [{ name: 'linux-firmware' }],
    conflicts: [{ name: 'kpkg-old', version: { op: '<=', version: '1.0-1' } }],
    provides: [{ name: 'kpkg-virtual', version: { op: '=', version: '6.1' } }],
    scripts,
    entries,
    mtime: MTIME,
    rpm: {
      group: 'System Environment/Kernel',
      vendor: 'Kpkg',
      obsoletes: [{ name: 'kpkg-legacy', version: { op: '<<', version: '6' } }],
    },
  };
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

function expectedFiles(): { path: string; entry: PackageEntry }[] {
  return pkg.entries.map((entry) => ({ path: entry.path, entry }));
}

void describe('writeRpm', () => {
  let file = '';
  before(async () => {
    file = join(work, rpmPackager.fileName(pkg, { compression: 'xz' }));
    const result = await writeRpm(pkg, file, { compression: 'xz' });
    assert.equal(result.size, (await stat(file)).size);
    assert.equal(result.sha256, sha256(await readFile(file)));
  });

  void it('is named <name>-<version>-<release>.<arch>.rpm, without the epoch', () => {
    assert.equal(rpmPackager.fileName(pkg, { compression: 'xz' }), 'kpkg-test-6.1.0~rc1-3.aarch64.rpm');
  });

  void it('rpm -K reports the header and payload digests OK', async () => {
    assert.equal(await rpm(['-K', '--nosignature', file]), `${file}: digests OK\n`);
    assert.equal(
      await rpm(['-Kv', file]),
      [
        `${file}:`,
        '    Header SHA256 digest: OK',
        '    Header SHA1 digest: OK',
        '    Payload SHA256 digest: OK',
        '    MD5 digest: OK',
        '',
      ].join('\n'),
    );
  });

  void it('rpm -qp shows the descriptive fields', async () => {
    const fields = [
      'NAME',
      'EPOCH',
      'VERSION',
      'RELEASE',
      'ARCH',
      'OS',
      'SUMMARY',
      'LICENSE',
      'GROUP',
      'URL',
      'VENDOR',
      'PACKAGER',
      'BUILDTIME',
      'BUILDHOST',
      'SIZE',
      'SOURCERPM',
      'PAYLOADFORMAT',
      'PAYLOADCOMPRESSOR',
      'PAYLOADFLAGS',
      'ENCODING',
    ];
    const out = await rpm(['-qp', '--qf', fields.map((f) => `%{${f}}`).join('|'), file]);
    assert.deepEqual(out.split('|'), [
      'kpkg-test',
      '2',
      '6.1.0~rc1',
      '3',
      'aarch64',
      'linux',
      'synthetic package written by kpkg tests',
      'GPL-2.0-only',
      'System Environment/Kernel',
      'https://example.org/kpkg',
      'Kpkg',
      'Kpkg Test <kpkg@example.org>',
      String(MTIME),
      'kpkg',
      String(70000 + 0 + 5 + '#define DEEP 1\n'.length + 'bin/tool'.length),
      'kpkg-test-6.1.0~rc1-3.src.rpm',
      'cpio',
      'xz',
      '6',
      'utf-8',
    ]);
    assert.equal(await rpm(['-qp', '--qf', '%{DESCRIPTION}', file]), 'Checks the rpm writer.\n\nSecond paragraph.');
  });

  void it('rpm -qp --requires/--provides/--obsoletes/--conflicts/--recommends give the relations', async () => {
    const lines = async (option: string): Promise<string[]> => (await rpm(['-qp', option, file])).trim().split('\n');
    assert.deepEqual(await lines('--requires'), [
      '(dracut >= 050 or initramfs-tools)',
      '/bin/sh',
      '/bin/sh',
      '/bin/sh',
      '/bin/sh',
      'coreutils < 99',
      'kmod',
      'libc.so.6()(64bit)',
      'libc.so.6(GLIBC_2.34)(64bit)',
      'rpmlib(CompressedFileNames) <= 3.0.4-1',
      'rpmlib(FileDigests) <= 4.6.0-1',
      'rpmlib(PayloadFilesHavePrefix) <= 4.0-1',
      'rpmlib(PayloadIsXz) <= 5.2-1',
      'rpmlib(RichDependencies) <= 4.12.0-1',
      'rpmlib(ScriptletInterpreterArgs) <= 4.0.3-1',
      'rpmlib(TildeInVersions) <= 4.10.0-1',
    ]);
    // Requires(pre|post|preun|postun): /bin/sh, as rpmbuild records a scriptlet's interpreter.
    const flags = await rpm(['-qp', '--qf', '[%{REQUIRENAME} %{REQUIREFLAGS:deptype}\n]', file]);
    assert.deepEqual(
      flags.split('\n').filter((l) => l.startsWith('/bin/sh')),
      ['/bin/sh pre,interp', '/bin/sh post,interp', '/bin/sh preun,interp', '/bin/sh postun,interp'],
    );
    assert.deepEqual(await lines('--provides'), [
      'kpkg-test = 2:6.1.0~rc1-3',
      'kpkg-test(aarch-64) = 2:6.1.0~rc1-3',
      'kpkg-virtual = 6.1',
    ]);
    assert.deepEqual(await lines('--obsoletes'), ['kpkg-legacy < 6']);
    assert.deepEqual(await lines('--conflicts'), ['kpkg-old <= 1.0-1']);
    assert.deepEqual(await lines('--recommends'), ['linux-firmware']);
  });

  void it('rpm -qp --scripts gives the scripts with their interpreters', async () => {
    const out = await rpm(['-qp', '--scripts', file]);
    assert.equal(
      out,
      [
        `preinstall scriptlet (using /bin/sh):\n${scripts.preinst.trimEnd()}`,
        `postinstall scriptlet (using /bin/sh):\n${scripts.postinst.trimEnd()}`,
        `preuninstall scriptlet (using /bin/sh):\n${scripts.prerm.trimEnd()}`,
        `postuninstall scriptlet (using /bin/sh -e):\n${scripts.postrm.trimEnd()}`,
        '',
      ].join('\n'),
    );
  });

  void it('rpm -qpl lists what the payload holds, plus the ghost', async () => {
    const listed = (await rpm(['-qpl', file])).trim().split('\n');
    const payload = (await payloadNames(file)).map((n) => n.replace(/^\./, ''));
    assert.deepEqual(
      payload,
      [...listed].filter((p) => p !== '/boot/vmlinuz-kpkg-test'),
    );
    assert.deepEqual(
      [...listed].sort(),
      expectedFiles()
        .map((f) => f.path)
        .sort(),
    );
    // rpm's order: byte-wise by path ('-' sorts before '/').
    assert.deepEqual(listed.slice(0, 3), ['/boot/vmlinuz-kpkg-test', TOP, `${TOP}/a-b`]);
  });

  void it('rpm -qp --dump gives the sizes, modes, digests and link targets of the input', async () => {
    const dump = (await rpm(['-qp', '--dump', file])).trim().split('\n');
    const byPath = new Map(dump.map((line) => [line.split(' ')[0] ?? '', line.split(' ')]));
    for (const { path, entry } of expectedFiles()) {
      const fields = byPath.get(path);
      assert.ok(fields !== undefined, path);
      const [, size, mtime, digest, mode, user, group, , , , link] = fields;
      assert.deepEqual([mtime, user, group], [String(MTIME), 'root', 'root'], path);
      if (entry.kind === 'file') {
        const data = entry.source.from === 'bytes' ? entry.source.data : await readFile(entry.source.path);
        assert.deepEqual(
          [size, mode, digest],
          [String(entry.size), `0100${entry.mode.toString(8)}`, sha256(data)],
          path,
        );
      } else if (entry.kind === 'symlink') {
        assert.deepEqual([size, mode, link], [String(entry.target.length), '0120777', entry.target], path);
      } else if (entry.kind === 'dir') {
        assert.equal(mode, `040${entry.mode.toString(8)}`, path);
      } else {
        assert.equal(mode, `0100${entry.mode.toString(8)}`, path);
      }
    }
    const ghost = await rpm(['-qp', '--qf', '[%{FILENAMES} %{FILEFLAGS:fflags}\n]', file]);
    assert.match(ghost, /^\/boot\/vmlinuz-kpkg-test g$/m);
  });

  void it('kpkg’s own rpm reader reads it', async () => {
    const opened = await openRpm([await readFile(file)], { where: file });
    await opened.close();
    assert.equal(opened.lead.name, 'kpkg-test-2:6.1.0~rc1-3');
    assert.equal(opened.header.string(RPMTAG.NAME), 'kpkg-test');
    assert.equal(opened.payloadCompression, 'xz');
  });

  void it('rpm -i --root installs it, and rpm -V finds nothing changed', async (t) => {
    if (process.getuid?.() !== 0) {
      t.skip('needs root');
      return;
    }
    const root = join(work, 'root');
    await mkdir(root);
    await rpm(['-i', '--root', root, '--dbpath', join(root, 'db'), '--nodeps', '--noscripts', '--ignorearch', file]);
    for (const { path, entry } of expectedFiles()) {
      const installed = join(root, path);
      if (entry.kind === 'file') {
        const data = entry.source.from === 'bytes' ? Buffer.from(entry.source.data) : await readFile(entry.source.path);
        assert.ok((await readFile(installed)).equals(data), path);
        assert.equal((await stat(installed)).mode & 0o7777, entry.mode, path);
        assert.equal((await stat(installed)).mtimeMs / 1000, MTIME, path);
      } else if (entry.kind === 'symlink') {
        assert.equal(await readlink(installed), entry.target, path);
      } else if (entry.kind === 'dir') {
        assert.ok((await lstat(installed)).isDirectory(), path);
      } else {
        await assert.rejects(lstat(installed), /ENOENT/, 'a ghost is not installed');
      }
    }
    const verify = await run(
      'rpm',
      ['-V', '--root', root, '--dbpath', join(root, 'db'), '--nodeps', '--noscripts', 'kpkg-test'],
      { env },
    ).catch((e: unknown) => e as { stdout: string; code: number });
    // Only the ghost, which is not there, may be reported — and rpm -V skips missing ghosts.
    assert.equal(verify.stdout, '');
  });

  void it('writes byte-identical packages from the same input, in any entry order', async () => {
    for (const compression of ['xz', 'zstd', 'gzip'] as const) {
      const a = await writeRpm(pkg, join(work, `a-${compression}.rpm`), { compression });
      const b = await writeRpm({ ...pkg, entries: [...pkg.entries].reverse() }, join(work, `b-${compression}.rpm`), {
        compression,
      });
      assert.equal(a.sha256, b.sha256, compression);
      assert.equal(await rpm(['-K', '--nosignature', a.path]), `${a.path}: digests OK\n`);
    }
    assert.equal(
      await rpm(['-qp', '--qf', '%{PAYLOADCOMPRESSOR} %{PAYLOADFLAGS}', join(work, 'a-zstd.rpm')]),
      'zstd 3',
    );
  });

  void it('writes a package without files or scripts', async () => {
    const out = join(work, 'meta.rpm');
    await writeRpm(
      { ...pkg, name: 'kpkg-meta', arch: 'all', entries: [], scripts: {}, depends: [{ name: 'kpkg-test' }] },
      out,
      { compression: 'xz' },
    );
    assert.equal(await rpm(['-K', '--nosignature', out]), `${out}: digests OK\n`);
    assert.equal(await rpm(['-qpl', out]), '(contains no files)\n');
    assert.equal(await rpm(['-qp', '--qf', '%{ARCH}', out]), 'noarch');
  });

  void it("names and writes an armel package with rpm's ARMv5 names", async () => {
    const armel = { ...pkg, arch: 'armel' };
    const out = join(work, rpmPackager.fileName(armel, { compression: 'xz' }));
    assert.equal(basename(out), 'kpkg-test-6.1.0~rc1-3.armv5tel.rpm');
    await writeRpm(armel, out, { compression: 'xz' });
    assert.equal(await rpm(['-K', '--nosignature', out]), `${out}: digests OK\n`);
    assert.equal(await rpm(['-qp', '--qf', '%{ARCH}', out]), 'armv5tel');
    assert.ok((await rpm(['-qp', '--provides', out])).includes('kpkg-test(armv5tel-32) = 2:6.1.0~rc1-3'));
  });
});

void describe('writeRpm failures', () => {
  void it('leaves nothing behind when a source file disappears mid-write', async () => {
    const dir = await mkdtemp(join(work, 'fail-'));
    const doomed = join(work, 'src', 'doomed');
    await writeFile(doomed, 'soon gone\n');
    const failing: PackageDescription = {
      ...pkg,
      entries: [
        ...pkg.entries,
        { kind: 'file', path: `${TOP}/zz-doomed`, mode: 0o644, size: 10, source: { from: 'disk', path: doomed } },
      ],
    };
    await rm(doomed);
    await assert.rejects(
      writeRpm(failing, join(dir, 'x.rpm'), { compression: 'xz' }),
      (error: unknown) => error instanceof KpkgError && error.where === doomed,
    );
    assert.deepEqual(await readdir(dir), []);
  });

  void it('reports an unwritable destination as a KpkgError', async () => {
    const out = join(work, 'no-such-dir', 'x.rpm');
    await assert.rejects(
      writeRpm(pkg, out, { compression: 'zstd' }),
      (error: unknown) => error instanceof KpkgError && error.where === out && /ENOENT/.test(error.message),
    );
  });

  void it('refuses what rpm cannot express, before writing anything', async () => {
    const dir = await mkdtemp(join(work, 'fail-'));
    const cases: [Partial<PackageDescription>, RegExp][] = [
      [{ version: '6.1.0' }, /has no release, which rpm needs/],
      [{ version: '6.1-rc1-1' }, /version '6.1-rc1' .* is not valid for rpm/],
      [{ version: '1.0-' }, /has no release/],
      [{ arch: 'sparc64' }, /cannot write an rpm package for the Debian architecture 'sparc64'/],
      [{ name: 'bad name' }, /not a valid rpm package name/],
      [{ scripts: { postinst: 'echo hi\n' } }, /postinst script of kpkg-test must start with an interpreter line/],
      [{ depends: [{ name: 'a b' }] }, /invalid depends name "a b" for rpm/],
      [{ depends: [{ name: '(a or b)' }] }, /invalid depends name "\(a or b\)" for rpm/],
      [{ depends: [{ name: 'lib(x' }] }, /invalid depends name "lib\(x" for rpm/],
      [{ mtime: -1 }, /does not fit rpm's 32-bit times/],
    ];
    for (const [change, pattern] of cases) {
      await assert.rejects(
        writeRpm({ ...pkg, ...change }, join(dir, 'x.rpm'), { compression: 'xz' }),
        (e: unknown) => e instanceof KpkgError && pattern.test(e.message) && !e.message.includes('\n'),
        String(pattern),
      );
    }
    await assert.rejects(writeRpm(pkg, join(dir, 'x.rpm'), { compression: 'none' }), /cannot use compression 'none'/);
    assert.deepEqual(await readdir(dir), []);
  });
});
