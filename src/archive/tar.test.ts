import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, mkdtemp, mkdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { KpkgError } from '../util/errors.js';
import { decodeName } from '../util/name-bytes.js';
import { sealTarHeader, TAR_TYPEFLAG } from '../testing/malformed-inputs.js';
import type { TarEntry, TarWriteOptions } from './tar.js';
import { TAR_RECORD, encodeTarHeader, readTar, tarStream } from './tar.js';
import { within } from '../testing/within.js';
import {
  longDir,
  longFile,
  MTIME,
  name100,
  readBack,
  sampleEntries,
  toBuffer,
  toolContent,
} from '../testing/tar-fixtures.js';

// The tar writer and reader, checked with GNU tar (it lists and extracts ours, we read its
// formats). Byte-identity with GNU tar's own archive of the same tree and the read-ahead over
// thousands of files are in tar.slow.test.ts.

const run = promisify(execFile);

/** Runs a command with `input` on stdin; resolves with stdout. */
async function runWithInput(command: string, args: string[], input: Buffer, cwd?: string): Promise<string> {
  const child = spawn(command, args, { cwd, env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${code}): ${stderr}`);
  return stdout;
}

let dir = '';
let entries: TarEntry[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kpkg-tar-'));
  entries = await sampleEntries(dir);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

void describe('tar writer', () => {
  void it('GNU tar lists exactly the entries, owners root/root, modes and mtime', async () => {
    const archive = await toBuffer(tarStream(entries));
    assert.equal(archive.length % TAR_RECORD, 0);
    const listing = (await runWithInput('tar', ['-tvf', '-', '--full-time'], archive)).trim().split('\n');
    const expected = [
      ['drwxr-xr-x', 0, './'],
      ['drwxr-xr-x', 0, './usr/'],
      ['drwxr-xr-x', 0, './usr/bin/'],
      ['-rwxr-xr-x', 5000, './usr/bin/tool'],
      ['-rw-r--r--', 0, './usr/empty'],
      ['-rw-------', 3, './usr/secret'],
      ['-rwsr-xr-x', 2, './usr/setuid'],
      ['drwxr-xr-x', 0, './usr/src/'],
      ['drwxr-xr-x', 0, './usr/src/linux-headers-6.12.95+bpo-arm64/'],
      ['drwxr-xr-x', 0, longDir],
      ['drwxr-xr-x', 0, `${longDir}${'e'.repeat(150)}/`],
      ['-rw-r--r--', 12, longFile],
      ['-rw-r--r--', 1, name100],
      ['lrwxrwxrwx', 0, './usr/link -> bin/tool'],
      ['lrwxrwxrwx', 0, `./usr/dangling -> ${'t'.repeat(150)}`],
      ['lrwxrwxrwx', 0, `${longDir}both-long -> ../${'u'.repeat(140)}`],
    ] as const;
    assert.equal(listing.length, expected.length);
    expected.forEach(([mode, size, name], i) => {
      const line = listing[i] ?? '';
      const match = /^(\S+) (\S+)\s+(\d+) (\S+ \S+) (.*)$/.exec(line);
      assert.ok(match, `unexpected line ${line}`);
      assert.deepEqual(match.slice(1), [mode, 'root/root', String(size), '2023-11-14 22:13:20', name]);
    });
    const numeric = await runWithInput('tar', ['-tvf', '-', '--numeric-owner'], archive);
    assert.ok(
      numeric
        .trim()
        .split('\n')
        .every((line) => line.split(/\s+/)[1] === '0/0'),
    );
    assert.ok(longFile.length > 255);
  });

  void it('GNU tar extracts byte-identical contents, modes and link targets', async () => {
    const archive = await toBuffer(tarStream(entries));
    const out = await mkdtemp(join(dir, 'x-'));
    await runWithInput('tar', ['-xpf', '-'], archive, out);
    assert.deepEqual(await readFile(join(out, 'usr/bin/tool')), toolContent);
    assert.deepEqual(await readFile(join(out, longFile)), Buffer.from('#define X 1\n'));
    assert.equal((await readFile(join(out, 'usr/empty'))).length, 0);
    assert.equal((await readFile(join(out, 'usr/secret'))).toString(), 'pst');
    assert.equal((await lstat(join(out, 'usr/secret'))).mode & 0o7777, 0o600);
    assert.equal((await lstat(join(out, 'usr/setuid'))).mode & 0o7777, 0o4755);
    assert.equal((await lstat(join(out, 'usr/bin/tool'))).mtimeMs, MTIME * 1000);
    assert.equal(await readlink(join(out, 'usr/link')), 'bin/tool');
    assert.equal(await readlink(join(out, 'usr/dangling')), 't'.repeat(150));
    assert.equal(await readlink(join(out, longDir, 'both-long')), `../${'u'.repeat(140)}`);
  });

  void it('is deterministic, whatever the read-ahead settings', async () => {
    const digest = async (options: TarWriteOptions): Promise<string> =>
      createHash('sha256')
        .update(await toBuffer(tarStream(entries, options)))
        .digest('hex');
    const first = await digest({});
    assert.equal(await digest({}), first);
    assert.equal(await digest({ prefetch: 1 }), first);
    assert.equal(await digest({ prefetch: 3, prefetchBytes: 10, wholeFileLimit: 100 }), first);
  });

  void it('hashes file contents on the way when asked', async () => {
    const seen = new Map<string, string>();
    await toBuffer(
      tarStream(entries, { digest: { algorithm: 'md5', onDigest: (entry, hex) => seen.set(entry.name, hex) } }),
    );
    assert.equal(seen.size, 6);
    assert.equal(seen.get('./usr/bin/tool'), createHash('md5').update(toolContent).digest('hex'));
    assert.equal(seen.get('./usr/empty'), createHash('md5').update('').digest('hex'));
  });

  void it('fails with a KpkgError naming the file when it is missing or changed size', async () => {
    const missing = join(dir, 'no-such-file');
    const changed = join(dir, 'src', 'header.h'); // 12 bytes
    const cases: [TarEntry, TarWriteOptions, RegExp][] = [
      [
        { type: 'file', name: './a', mode: 0o644, mtime: 0, size: 1, content: { from: 'disk', path: missing } },
        {},
        /cannot read .*no-such-file \(ENOENT\)/,
      ],
      [
        { type: 'file', name: './a', mode: 0o644, mtime: 0, size: 10, content: { from: 'disk', path: changed } },
        {},
        /changed while being packaged: expected 10 bytes, found more/,
      ],
      [
        { type: 'file', name: './a', mode: 0o644, mtime: 0, size: 20, content: { from: 'disk', path: changed } },
        {},
        /expected 20 bytes, found 12/,
      ],
      [
        { type: 'file', name: './a', mode: 0o644, mtime: 0, size: 10, content: { from: 'disk', path: changed } },
        { wholeFileLimit: 0 },
        /expected 10 bytes, found more/,
      ],
      [
        { type: 'file', name: './a', mode: 0o644, mtime: 0, size: 20, content: { from: 'disk', path: changed } },
        { wholeFileLimit: 0 },
        /expected 20 bytes, found 12/,
      ],
      [
        { type: 'file', name: './a', mode: 0o644, mtime: 0, size: 1, content: { from: 'disk', path: missing } },
        { wholeFileLimit: 0 },
        /cannot read .*no-such-file/,
      ],
    ];
    for (const [entry, options, message] of cases) {
      const error = await within(
        5000,
        toBuffer(tarStream([entries[0] as TarEntry, entry], options)).then(
          () => undefined,
          (e: unknown) => e,
        ),
      );
      assert.ok(error instanceof KpkgError, String(error));
      assert.match(error.message, message);
      assert.ok(error.where === missing || error.where === changed);
    }
  });

  void it('writes sizes beyond 8 GiB in GNU base-256', async () => {
    const size = 2 ** 34;
    const header = encodeTarHeader({
      type: 'file',
      name: './big',
      mode: 0o644,
      mtime: MTIME,
      size,
      content: { from: 'bytes', data: new Uint8Array(0) },
    });
    assert.equal(header[124], 0x80);
    // Read back: the reader decodes the size, then reports the missing data.
    await assert.rejects(readBack(header), /entry '\.\/big' at offset 0 is truncated: it declares 17179869184 bytes/);
  });

  void it('rejects names with NUL and negative times', () => {
    assert.throws(() => encodeTarHeader({ type: 'dir', name: './a\0b', mode: 0o755, mtime: 0 }), KpkgError);
    assert.throws(() => encodeTarHeader({ type: 'dir', name: './a', mode: 0o755, mtime: -1 }), KpkgError);
  });
});

void describe('tar reader', () => {
  void it('round-trips our own archives', async () => {
    const back = await readBack(tarStream(entries));
    assert.equal(back.length, entries.length);
    for (const [i, entry] of entries.entries()) {
      const got = back[i];
      assert.ok(got !== undefined);
      assert.equal(got.name, entry.type === 'dir' && !entry.name.endsWith('/') ? `${entry.name}/` : entry.name);
      assert.deepEqual([got.uid, got.gid, got.uname, got.gname, got.mtime], [0, 0, 'root', 'root', MTIME]);
      if (entry.type === 'symlink')
        assert.deepEqual([got.type, got.linkname, got.mode], ['symlink', entry.target, 0o777]);
      if (entry.type === 'dir') assert.deepEqual([got.type, got.mode], ['dir', entry.mode]);
      if (entry.type === 'file') {
        assert.deepEqual([got.type, got.mode, got.data.length], ['file', entry.mode, entry.size]);
        if (entry.content.from === 'bytes') assert.ok(got.data.equals(entry.content.data));
      }
    }
  });

  for (const format of ['gnu', 'pax', 'ustar'] as const) {
    void it(`reads GNU tar's --format=${format} output`, async () => {
      const tree = await mkdtemp(join(dir, `fmt-${format}-`));
      // ustar can hold a 255-byte path only when split at a slash: use a 200-byte one.
      const deep =
        format === 'ustar' ? `${'p'.repeat(90)}/${'q'.repeat(90)}/file` : `${'p'.repeat(120)}/${'q'.repeat(150)}/file`;
      await mkdir(dirname(join(tree, deep)), { recursive: true });
      await writeFile(join(tree, deep), 'deep\n');
      await symlink('deep-target', join(tree, 'ln'));
      const { stdout } = await run('tar', ['-cf', '-', `--format=${format}`, '--sort=name', '-C', tree, deep, 'ln'], {
        encoding: 'buffer',
      });
      const back = await readBack(stdout);
      assert.deepEqual(
        back.map((entry) => [entry.name, entry.type, entry.data.toString(), entry.linkname]),
        [
          [deep, 'file', 'deep\n', ''],
          ['ln', 'symlink', '', 'deep-target'],
        ],
      );
    });
  }

  void it('reads an input that arrives in odd-sized chunks', async () => {
    const archive = await toBuffer(tarStream(entries));
    const chunks: Buffer[] = [];
    for (let at = 0; at < archive.length; at += 77) chunks.push(archive.subarray(at, at + 77));
    assert.equal((await readBack(Readable.from(chunks))).length, entries.length);
  });

  void it('treats an empty input as an empty archive', async () => {
    assert.deepEqual(await readBack(Buffer.alloc(0)), []);
  });

  void describe('on hostile input', () => {
    let good: Buffer = Buffer.alloc(0);
    before(async () => {
      good = await toBuffer(tarStream(entries));
    });
    const corrupt = (edit: (archive: Buffer) => Buffer) => () => edit(Buffer.from(good));
    const cases: [string, () => Buffer, RegExp][] = [
      [
        'a bad checksum',
        corrupt((b) => {
          b[10] = 0x41;
          return b;
        }),
        /bad header checksum at offset 0/,
      ],
      ['a truncated header', corrupt((b) => b.subarray(0, 300)), /truncated header at offset 0/],
      [
        'a truncated body',
        corrupt((b) => b.subarray(0, 512 * 5 + 100)),
        /entry '\.\/usr\/bin\/tool' at offset 1536 is truncated/,
      ],
      ['garbage', () => Buffer.alloc(1024, 0x5a), /bad header checksum/],
      [
        'an unknown magic',
        corrupt((b) => {
          const header = b.subarray(0, 512);
          header.write('xxxxx', 257, 'latin1');
          fixChecksum(header);
          return b;
        }),
        /unknown tar format/,
      ],
      [
        'a non-octal size',
        corrupt((b) => {
          const header = b.subarray(0, 512);
          header.write('0000000009x\0', 124, 'latin1');
          fixChecksum(header);
          return b;
        }),
        /malformed size field/,
      ],
      [
        'a long name entry cut short',
        () => encodeTarHeader({ type: 'dir', name: `./${'z'.repeat(300)}`, mode: 0o755, mtime: 0 }).subarray(0, 700),
        /truncated L entry/,
      ],
    ];
    for (const [what, input, message] of cases) {
      void it(`rejects ${what}`, async () => {
        const error = await within(
          5000,
          readBack(input()).then(
            () => undefined,
            (e: unknown) => e,
          ),
        );
        assert.ok(error instanceof KpkgError, `expected a KpkgError, got ${String(error)}`);
        assert.match(error.message, message);
      });
    }

    void it('rejects oversized metadata and malformed pax records', async () => {
      const longName = encodeTarHeader({ type: 'dir', name: `./${'z'.repeat(300)}`, mode: 0o755, mtime: 0 });
      const reading = (async () => {
        for await (const entry of readTar([longName], { maxMetadataSize: 100, where: 'data.tar' }))
          assert.fail(`got ${entry.name}`);
      })();
      await assert.rejects(
        within(5000, reading),
        /data\.tar: L entry at offset 0 is 304 bytes, over the 100-byte limit/,
      );

      const { stdout } = await run('tar', ['-cf', '-', '--format=pax', '-C', dir, 'src/header.h'], {
        encoding: 'buffer',
      });
      // A pax record is "<length> <key>=<value>\n": damage the first one's length prefix.
      const damaged = Buffer.from(stdout);
      damaged.write('x', 512, 'latin1');
      await assert.rejects(within(5000, readBack(damaged)), /malformed pax record/);
    });
  });
  void it("reads names as their bytes in GNU tar's gnu and pax archives, long names included", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kpkg-tar-bytes-'));
    try {
      const short = [Buffer.from('t\xff', 'latin1'), Buffer.from('t\xfe', 'latin1')];
      const long = Buffer.concat([Buffer.from('l'.repeat(120)), Buffer.of(0xff)]);
      for (const name of [...short, long]) await writeFile(Buffer.concat([Buffer.from(`${dir}/`), name]), 'x');
      for (const format of ['gnu', 'pax'] as const) {
        const { stdout } = await run('tar', ['-cf', '-', `--format=${format}`, '-C', dir, '.'], {
          encoding: 'buffer',
          maxBuffer: 1 << 20,
        });
        const names = (await readBack(stdout)).map((e) => e.name).filter((n) => n !== './');
        assert.deepEqual(
          names.sort(),
          [...short, long].map((n) => decodeName(Buffer.concat([Buffer.from('./'), n]))).sort(),
          format,
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  void it('reads a pax size past 4 GiB (what GNU tar writes for such a file in pax format)', async () => {
    const record = '19 size=4600000000\n'; // its length counts itself
    const pax = encodeTarHeader({
      type: 'file',
      name: './PaxHeaders/big',
      mode: 0o644,
      mtime: MTIME,
      size: record.length,
      content: { from: 'bytes', data: Buffer.from(record) },
    });
    pax[TAR_TYPEFLAG] = 'x'.charCodeAt(0);
    sealTarHeader(pax);
    const file = encodeTarHeader({
      type: 'file',
      name: './big',
      mode: 0o644,
      mtime: MTIME,
      size: 0,
      content: { from: 'bytes', data: new Uint8Array(0) },
    });
    const records = Buffer.concat([pax, Buffer.from(record), Buffer.alloc(512 - record.length), file]);
    for await (const entry of readTar([records])) {
      assert.deepEqual([entry.name, entry.size], ['./big', 4_600_000_000]);
      return;
    }
    assert.fail('no entry');
  });
});

function fixChecksum(header: Buffer): void {
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
}
