import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { KpkgError } from '../util/errors.js';
import { ArWriter, encodeArHeader, readAr } from './ar.js';
import { within } from '../testing/within.js';

const run = promisify(execFile);

async function writeToBuffer(build: (writer: ArWriter) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const writer = new ArWriter(out);
  await build(writer);
  await writer.end();
  return Buffer.concat(chunks);
}

async function readAll(
  input: Buffer | AsyncIterable<Uint8Array>,
): Promise<{ name: string; size: number; mtime: number; mode: number; data: Buffer }[]> {
  const members = [];
  for await (const member of readAr(Buffer.isBuffer(input) ? [input] : input)) {
    const chunks: Buffer[] = [];
    for await (const chunk of member.body) chunks.push(chunk);
    members.push({
      name: member.name,
      size: member.size,
      mtime: member.mtime,
      mode: member.mode,
      data: Buffer.concat(chunks),
    });
  }
  return members;
}

const MTIME = 1700000000;
const odd = Buffer.from('odd-sized member\n!'); // 18 bytes... made odd below
const oddData = Buffer.concat([odd, Buffer.from('x')]); // 19 bytes: needs a pad byte

async function sample(): Promise<Buffer> {
  return writeToBuffer(async (writer) => {
    await writer.add({ name: 'debian-binary', size: 4, mtime: MTIME }, Buffer.from('2.0\n'));
    await writer.add({ name: 'odd.bin', size: oddData.length, mtime: MTIME }, oddData);
    await writer.add({ name: 'empty', size: 0, mtime: MTIME }, Buffer.alloc(0));
    // streamed content in several chunks
    await writer.add(
      { name: 'streamed.tar', size: 3 * 1000, mtime: 0 },
      Readable.from([Buffer.alloc(1000, 1), Buffer.alloc(1000, 2), Buffer.alloc(1000, 3)]),
    );
  });
}

void describe('ar writer', () => {
  void it('writes the header exactly as dpkg-deb does', () => {
    const header = encodeArHeader({ name: 'debian-binary', size: 4, mtime: MTIME });
    assert.equal(header.toString('latin1'), 'debian-binary   1700000000  0     0     100644  4         `\n');
    assert.equal(header.length, 60);
  });

  void it('rejects names and values that do not fit', () => {
    assert.throws(() => encodeArHeader({ name: 'a-name-longer-than-16', size: 1, mtime: 0 }), KpkgError);
    assert.throws(() => encodeArHeader({ name: 'with space', size: 1, mtime: 0 }), KpkgError);
    assert.throws(() => encodeArHeader({ name: 'x/', size: 1, mtime: 0 }), KpkgError);
    assert.throws(() => encodeArHeader({ name: 'x', size: 1e10, mtime: 0 }), KpkgError);
    assert.throws(() => encodeArHeader({ name: 'x', size: -1, mtime: 0 }), KpkgError);
  });

  void it('round-trips members, pads odd sizes with a newline', async () => {
    const archive = await sample();
    assert.equal(archive.subarray(0, 8).toString('latin1'), '!<arch>\n');
    // 8 magic + (60+4) + (60+19+1) + 60 + (60+3000)
    assert.equal(archive.length, 8 + 64 + 80 + 60 + 3060);
    assert.equal(archive[8 + 64 + 60 + 19], 0x0a);
    const members = await readAll(archive);
    assert.deepEqual(
      members.map((m) => [m.name, m.size, m.mtime, m.mode]),
      [
        ['debian-binary', 4, MTIME, 0o100644],
        ['odd.bin', 19, MTIME, 0o100644],
        ['empty', 0, MTIME, 0o100644],
        ['streamed.tar', 3000, 0, 0o100644],
      ],
    );
    assert.deepEqual(members[1]?.data, oddData);
    assert.deepEqual(
      members[3]?.data,
      Buffer.concat([Buffer.alloc(1000, 1), Buffer.alloc(1000, 2), Buffer.alloc(1000, 3)]),
    );
  });

  void it('reads when the input arrives one byte at a time', async () => {
    const archive = await sample();
    const bytes = [...archive].map((byte) => Buffer.from([byte]));
    const members = await readAll(Readable.from(bytes));
    assert.equal(members.length, 4);
    assert.deepEqual(members[1]?.data, oddData);
  });

  void it('refuses content longer or shorter than announced', async () => {
    await assert.rejects(
      writeToBuffer((writer) => writer.add({ name: 'x', size: 3, mtime: 0 }, Buffer.from('four'))),
      /more data than the 3 bytes/,
    );
    await assert.rejects(
      writeToBuffer((writer) => writer.add({ name: 'x', size: 5, mtime: 0 }, Readable.from([Buffer.from('four')]))),
      /has 4 bytes of data, but its header announces 5/,
    );
  });

  void describe('against GNU binutils ar', () => {
    let dir = '';
    let path = '';
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kpkg-ar-'));
      path = join(dir, 'test.a');
      const archive = await sample();
      await new Promise<void>((resolve, reject) => createWriteStream(path).on('error', reject).end(archive, resolve));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    void it('ar t lists the members in order', async () => {
      const { stdout } = await run('ar', ['t', path]);
      assert.equal(stdout, 'debian-binary\nodd.bin\nempty\nstreamed.tar\n');
    });

    void it('ar tv shows mode, owner, size and date', async () => {
      const { stdout } = await run('ar', ['tv', path], { env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' } });
      const lines = stdout.trim().split('\n');
      assert.match(lines[0] ?? '', /^rw-r--r-- 0\/0\s+4 Nov 14 22:13 2023 debian-binary$/);
      assert.match(lines[1] ?? '', /^rw-r--r-- 0\/0\s+19 Nov 14 22:13 2023 odd\.bin$/);
    });

    void it('ar p extracts identical bytes', async () => {
      const { stdout } = await run('ar', ['p', path, 'odd.bin'], { encoding: 'buffer' });
      assert.deepEqual(stdout, oddData);
    });

    void it('reads an archive written by GNU ar (names with trailing slash)', async () => {
      const gnu = join(dir, 'gnu.a');
      const member = join(dir, 'hello.txt');
      await new Promise<void>((resolve, reject) =>
        createWriteStream(member).on('error', reject).end('hello\n', resolve),
      );
      await run('ar', ['rcD', gnu, member]);
      const members = await readAll(await readFile(gnu));
      assert.deepEqual(
        members.map((m) => [m.name, m.data.toString()]),
        [['hello.txt', 'hello\n']],
      );
    });
  });
});

void describe('ar reader on hostile input', () => {
  const header = (fields: { name?: string; mtime?: string; size?: string; end?: string }): string =>
    (fields.name ?? 'm').padEnd(16) +
    (fields.mtime ?? '0').padEnd(12) +
    '0'.padEnd(6) +
    '0'.padEnd(6) +
    '100644'.padEnd(8) +
    (fields.size ?? '1').padEnd(10) +
    (fields.end ?? '`\n');
  const cases: [string, Buffer, RegExp][] = [
    ['a zero-length stream', Buffer.alloc(0), /input is empty/],
    ['bad magic', Buffer.from('!<arhc>\nrest'), /bad magic/],
    ['a truncated magic', Buffer.from('!<ar'), /ends inside the magic/],
    [
      'a truncated header',
      Buffer.from('!<arch>\n' + header({}).slice(0, 30)),
      /truncated ar member header at offset 8/,
    ],
    ['a non-digit size', Buffer.from('!<arch>\n' + header({ size: '12a' })), /size field '12a' is not a number/],
    ['a negative size', Buffer.from('!<arch>\n' + header({ size: '-5' })), /not a number/],
    [
      'an 11-digit size (runs into the terminator)',
      Buffer.from('!<arch>\n' + header({ size: '99999999999', end: '\n' })),
      /missing terminator/,
    ],
    [
      'a 10-digit size with too little data',
      Buffer.from('!<arch>\n' + header({ size: '999999999' }) + 'short'),
      /truncated: it declares 999999999 bytes/,
    ],
    [
      'the largest size the field holds (over 4 GiB, read as dpkg-deb does) with too little data',
      Buffer.from('!<arch>\n' + header({ size: '9999999999' }) + 'x'),
      /truncated: it declares 9999999999 bytes/,
    ],
    ['a bad terminator', Buffer.from('!<arch>\n' + header({ end: 'XX' }) + 'x\n'), /missing terminator/],
    [
      'a non-numeric mtime',
      Buffer.from('!<arch>\n' + header({ mtime: 'yesterday' }) + 'x\n'),
      /mtime field 'yesterday'/,
    ],
    [
      'a bad padding byte',
      Buffer.from('!<arch>\n' + header({}) + 'xQ' + header({ name: 'n' }) + 'x\n'),
      /bad padding byte/,
    ],
  ];
  for (const [what, input, message] of cases) {
    void it(`rejects ${what}`, async () => {
      const error = await within(
        5000,
        readAll(input).then(
          () => undefined,
          (e: unknown) => e,
        ),
      );
      assert.ok(error instanceof KpkgError, `expected a KpkgError, got ${String(error)}`);
      assert.match(error.message, message);
    });
  }

  void it('reads a member over 4 GiB as dpkg-deb does: its size as the header says, the body streamed', async () => {
    const size = 4_600_000_000;
    const header = encodeArHeader({ name: 'data.tar', size, mtime: MTIME });
    /** The magic, the header and the body's first bytes: the reader is left before it asks for more. */
    async function* start(): AsyncGenerator<Buffer> {
      yield Buffer.concat([Buffer.from('!<arch>\n'), header, Buffer.from('first bytes')]);
      await new Promise(() => undefined); // the rest of the 4.6 GB, never needed here
    }
    const reading = (async () => {
      for await (const member of readAr(start(), { where: 'x.deb' })) {
        const first = await member.body[Symbol.asyncIterator]().next();
        return [member.name, member.size, String(first.value)];
      }
      return [];
    })();
    assert.deepEqual(await within(5000, reading), ['data.tar', size, 'first bytes']);
  });

  void it('passes a source stream error through', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('disk on fire'));
      },
    });
    await assert.rejects(within(5000, readAll(failing)), /disk on fire/);
  });

  void it('skips bodies the consumer did not read, and refuses to read them late', async () => {
    const archive = await sample();
    const seen: string[] = [];
    let first: AsyncIterable<Buffer> | undefined;
    for await (const member of readAr([archive])) {
      seen.push(member.name);
      first ??= member.body;
    }
    assert.deepEqual(seen, ['debian-binary', 'odd.bin', 'empty', 'streamed.tar']);
    assert.ok(first !== undefined);
    await assert.rejects(async () => {
      for await (const chunk of first) assert.fail(`read ${chunk.length} bytes`);
    }, /must be read before moving on/);
  });

  void it('refuses to buffer a body over the bytes() limit', async () => {
    const archive = await sample();
    const reading = (async () => {
      for await (const member of readAr([archive])) if (member.name === 'streamed.tar') await member.bytes(100);
    })();
    await assert.rejects(reading, /more than the 100 bytes allowed in memory/);
  });
});
