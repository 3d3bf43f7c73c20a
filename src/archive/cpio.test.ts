import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile, link } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { KpkgError } from '../util/errors.js';
import { decodeName } from '../util/name-bytes.js';
import { cpioStream, readCpio, type CpioEntry, type CpioWriteEntry } from './cpio.js';

const run = promisify(execFile);

/** `cpio -o -H newc` (GNU cpio, package cpio) of the given names (strings, or bytes as they are), run in `cwd`. */
async function gnuCpio(cwd: string, names: (string | Buffer)[], format = 'newc'): Promise<Buffer> {
  const child = spawn('cpio', ['-o', '-H', format, '--quiet'], { cwd });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const closed = new Promise<number | null>((resolve, reject) => {
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new Error('cpio is not installed: apt-get install cpio') : e),
    );
    child.on('close', resolve);
  });
  child.stdin.end(Buffer.concat(names.flatMap((name) => [Buffer.from(name), Buffer.from('\n')])));
  const code = await closed;
  if (code !== 0) throw new Error(`cpio failed (${code}): ${stderr}`);
  return Buffer.concat(chunks);
}

interface Read {
  name: string;
  type: string;
  size: number;
  nlink: number;
  ino: number;
  data: string;
}

async function readAll(input: Buffer | readonly Buffer[]): Promise<Read[]> {
  const out: Read[] = [];
  const chunks: readonly Buffer[] = Buffer.isBuffer(input) ? [input] : input;
  for await (const e of readCpio(chunks)) out.push(await summarize(e));
  return out;
}

async function summarize(e: CpioEntry): Promise<Read> {
  return {
    name: e.name,
    type: e.type,
    size: e.size,
    nlink: e.nlink,
    ino: e.ino,
    data: (await e.bytes()).toString('utf8'),
  };
}

async function rejects(input: Buffer, pattern: RegExp): Promise<void> {
  await assert.rejects(readAll(input), (e: unknown) => e instanceof KpkgError && pattern.test(e.message));
}

describe('readCpio on archives written by GNU cpio', () => {
  let dir = '';
  let archive: Buffer = Buffer.alloc(0);
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kpkg-cpio-'));
    await mkdir(join(dir, 'usr/src/tree'), { recursive: true });
    await writeFile(join(dir, 'usr/src/tree/Makefile'), 'all:\n\ttrue\n');
    await writeFile(join(dir, 'usr/src/tree/odd'), 'x'.repeat(4097));
    await writeFile(join(dir, 'usr/src/tree/empty'), '');
    await symlink('../tree/Makefile', join(dir, 'usr/src/tree/link'));
    await link(join(dir, 'usr/src/tree/Makefile'), join(dir, 'usr/src/tree/hard'));
    archive = await gnuCpio(dir, [
      'usr',
      'usr/src',
      'usr/src/tree',
      'usr/src/tree/Makefile',
      'usr/src/tree/odd',
      'usr/src/tree/empty',
      'usr/src/tree/link',
      'usr/src/tree/hard',
    ]);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('reads names, types, sizes, symlink targets and data', async () => {
    const entries = await readAll(archive);
    const byName = new Map(entries.map((e) => [e.name, e]));
    // GNU cpio defers hard-linked files to after the others.
    assert.deepEqual([...byName.keys()].sort(), [
      'usr',
      'usr/src',
      'usr/src/tree',
      'usr/src/tree/Makefile',
      'usr/src/tree/empty',
      'usr/src/tree/hard',
      'usr/src/tree/link',
      'usr/src/tree/odd',
    ]);
    assert.equal(byName.get('usr/src/tree')?.type, 'dir');
    assert.equal(byName.get('usr/src/tree/odd')?.data, 'x'.repeat(4097));
    assert.equal(byName.get('usr/src/tree/empty')?.size, 0);
    assert.deepEqual(
      [byName.get('usr/src/tree/link')?.type, byName.get('usr/src/tree/link')?.data],
      ['symlink', '../tree/Makefile'],
    );
    // GNU cpio writes the data of a hard-linked file with its last name only.
    const makefile = byName.get('usr/src/tree/Makefile');
    const hard = byName.get('usr/src/tree/hard');
    assert.equal(makefile?.ino, hard?.ino);
    assert.equal(makefile?.nlink, 2);
    assert.deepEqual([makefile?.size, hard?.data], [0, 'all:\n\ttrue\n']);
  });

  it('reads the same archive delivered one byte at a time', async () => {
    const bytes = [...archive].map((b) => Buffer.from([b]));
    assert.deepEqual(await readAll(bytes), await readAll(archive));
  });

  it('skips bodies the consumer does not read', async () => {
    const names: string[] = [];
    for await (const e of readCpio([archive])) names.push(e.name);
    assert.equal(names.length, 8);
  });

  it('rejects truncation anywhere with a KpkgError, never a hang', async () => {
    // GNU cpio pads the archive to 512 bytes after the trailer: cut before the trailer's end.
    const trailerEnd = archive.indexOf('TRAILER!!!') + 10;
    for (const cut of [0, 50, 110, 115, 200, trailerEnd - 200, trailerEnd - 5]) {
      await assert.rejects(readAll(archive.subarray(0, cut)), KpkgError, `cut at ${cut}`);
    }
  });

  it('rejects other cpio formats and bad magic', async () => {
    await rejects(await gnuCpio(dir, ['usr'], 'odc'), /odc/);
    await rejects(
      Buffer.from(
        'not a cpio archive at all, just text that is long enough to fill a header...........................................',
      ),
      /bad cpio magic/,
    );
  });

  it('rejects malformed fields and absurd name sizes', async () => {
    const header = Buffer.from(archive.subarray(0, 110));
    const badHex = Buffer.from(header);
    badHex.write('zzzzzzzz', 6 + 6 * 8, 'latin1'); // filesize
    await rejects(Buffer.concat([badHex, archive.subarray(110)]), /filesize field "zzzzzzzz" is not 8 hex digits/);
    const hugeName = Buffer.from(header);
    hugeName.write('7fffffff', 6 + 11 * 8, 'latin1'); // namesize
    await rejects(Buffer.concat([hugeName, archive.subarray(110)]), /declares a name of 2147483647 bytes/);
    const hugeFile = Buffer.from(header);
    hugeFile.write('ffffffff', 6 + 6 * 8, 'latin1');
    const skipAll = async (): Promise<void> => {
      for await (const e of readCpio([Buffer.concat([hugeFile, archive.subarray(110)])]))
        assert.equal(e.size, 0xffffffff);
    };
    await assert.rejects(
      skipAll(),
      (e: unknown) => e instanceof KpkgError && /truncated: it declares 4294967295 bytes/.test(e.message),
    );
  });

  it('reads names as their bytes: t\\xff and t\\xfe are two names', async () => {
    const names = [Buffer.from('t\xff', 'latin1'), Buffer.from('t\xfe', 'latin1')];
    for (const name of names) await writeFile(Buffer.concat([Buffer.from(`${dir}/`), name]), 'x');
    const read = await readAll(await gnuCpio(dir, names));
    assert.deepEqual(
      read.map((e) => e.name),
      names.map(decodeName),
    );
  });

  it('GNU cpio is installed (the tests above need it)', async () => {
    const { stdout } = await run('cpio', ['--version']);
    assert.match(stdout, /GNU cpio/);
  });
});

describe('cpioStream (the rpm payload writer)', () => {
  const entries: CpioWriteEntry[] = [
    { type: 'dir', name: './usr', mode: 0o755, ino: 1, mtime: 1700000000, fileIndex: 0 },
    {
      type: 'file',
      name: './usr/odd',
      mode: 0o755,
      ino: 2,
      mtime: 1700000000,
      size: 4097,
      content: { from: 'bytes', data: Buffer.alloc(4097, 0x78) },
      fileIndex: 1,
    },
    {
      type: 'file',
      name: './usr/empty',
      mode: 0o644,
      ino: 3,
      mtime: 1700000000,
      size: 0,
      content: { from: 'bytes', data: new Uint8Array(0) },
      fileIndex: 2,
    },
    { type: 'symlink', name: './usr/link', target: 'odd', ino: 4, mtime: 1700000000, fileIndex: 3 },
  ];
  const collect = async (format: 'newc' | 'rpm-stripped'): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of cpioStream(entries, { format })) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  it('writes newc that GNU cpio and readCpio read back, ending with the trailer padded to 4 bytes as rpm pads it', async () => {
    const archive = await collect('newc');
    assert.equal(archive.length % 4, 0);
    assert.equal(archive.subarray(archive.length - 14).toString('latin1'), 'TRAILER!!!\0\0\0\0');
    const read = await readAll(archive);
    assert.deepEqual(
      read.map((e) => [e.name, e.type, e.size, e.nlink, e.ino]),
      [
        ['./usr', 'dir', 0, 1, 1],
        ['./usr/odd', 'file', 4097, 1, 2],
        ['./usr/empty', 'file', 0, 1, 3],
        ['./usr/link', 'symlink', 3, 1, 4],
      ],
    );
    assert.equal(read[3]?.data, 'odd');
    const dir = await mkdtemp(join(tmpdir(), 'kpkg-cpio-w-'));
    try {
      const file = join(dir, 'a.cpio');
      await writeFile(file, archive);
      const { stdout } = await run('sh', ['-c', `cpio -tv --quiet < '${file}'`], {
        env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' },
      });
      assert.match(stdout, /^-rwxr-xr-x\s+1 root\s+root\s+4097 Nov 14\s+2023 \.\/usr\/odd$/m);
      assert.match(stdout, /^lrwxrwxrwx .* \.\/usr\/link -> odd$/m);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes rpm stripped headers: "07070X", the file index, padding to 4', async () => {
    const archive = await collect('rpm-stripped');
    assert.equal(archive.subarray(0, 16).toString('latin1'), '07070X00000000\0\0');
    assert.equal(archive.subarray(16, 30).toString('latin1'), '07070X00000001');
    assert.equal(archive.subarray(32, 32 + 4097).toString('latin1'), 'x'.repeat(4097));
    await rejects(archive, /stripped/);
  });

  it('fails the stream with a KpkgError when a disk file is missing or changed size', async () => {
    /** Streams an archive of one file listed as 1 byte and read from `path`, dropping the output. */
    const drainOneByteFile = async (path: string): Promise<void> => {
      const list: CpioWriteEntry[] = [
        { type: 'file', name: './x', mode: 0o644, ino: 1, mtime: 0, size: 1, content: { from: 'disk', path } },
      ];
      await pipeline(cpioStream(list), new Writable({ write: (_chunk, _encoding, callback) => callback() }));
    };
    await assert.rejects(
      drainOneByteFile('/nonexistent/kpkg'),
      (e: unknown) => e instanceof KpkgError && e.where === '/nonexistent/kpkg',
    );
    await assert.rejects(drainOneByteFile('/etc/hostname'), /changed while being packaged/);
  });
});
