import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KpkgError } from '../util/errors.js';
import type { CompressionKind } from './compress.js';
import { DEFAULT_COMPRESSION_LEVEL, compressionOfName, compressor, decompressor } from './compress.js';
import { within } from '../testing/within.js';
import { sampleData, sha, through, tool } from '../testing/compress-fixtures.js';

// The compressors and decompressors with the system tools. That the multi-threaded encoders'
// output (3 MiB, several blocks) does not depend on the thread count, and gzip's header of it,
// are checked in compress.slow.test.ts.

/** 3 MiB: several blocks for the multi-threaded encoders, whose output must not depend on the thread count. */
const input = sampleData(3 * 1024 * 1024);
/** 512 KiB for the rest: enough to compress well, small enough for xz -6 both ways in well under a second. */
const small = sampleData(512 * 1024);

const SYSTEM_DECOMPRESS: Record<Exclude<CompressionKind, 'none'>, [string, string[]]> = {
  xz: ['xz', ['-dc']],
  zstd: ['zstd', ['-dcq']],
  gzip: ['gzip', ['-dc']],
};

void describe('compressor', () => {
  for (const kind of ['xz', 'zstd', 'gzip'] as const) {
    void it(`${kind}: the system tool decompresses our output, and ours decompresses the tool's`, async () => {
      const compressed = await through(compressor(kind), small);
      assert.ok(compressed.length < small.length / 3, `${kind} did not compress`);
      const [command, args] = SYSTEM_DECOMPRESS[kind];
      assert.ok((await tool(command, args, compressed)).equals(small));
      const fromTool = await tool(kind === 'gzip' ? 'gzip' : kind, ['-c', '-q'], small);
      assert.ok((await through(decompressor(kind), fromTool)).equals(small));
    });

    void it(`${kind}: same input and level give the same bytes`, async () => {
      const first = await through(compressor(kind, 1), small);
      const second = await through(compressor(kind, 1), small);
      assert.equal(sha(first), sha(second));
    });
  }

  void it('none passes bytes through', async () => {
    assert.ok((await through(compressor('none'), input)).equals(input));
    assert.ok((await through(decompressor('none'), input)).equals(input));
  });

  void it('bzip2 decompresses through the system tool', async () => {
    const compressed = await tool('bzip2', ['-c'], small);
    assert.ok((await through(decompressor('bzip2'), compressed)).equals(small));
  });

  void it('defaults to dpkg-deb levels', () => {
    assert.deepEqual(DEFAULT_COMPRESSION_LEVEL, { xz: 6, zstd: 3, gzip: 9, none: 0 });
  });

  void it('rejects levels out of range', () => {
    assert.throws(() => compressor('xz', 10), KpkgError);
    assert.throws(() => compressor('zstd', 0), KpkgError);
    assert.throws(() => compressor('gzip', 1.5), KpkgError);
  });

  void it('ignores environment variables that would change the output', async () => {
    const plain = await through(compressor('xz', 1), small);
    const saved = { XZ_OPT: process.env.XZ_OPT, XZ_DEFAULTS: process.env.XZ_DEFAULTS };
    process.env.XZ_OPT = '-9e';
    process.env.XZ_DEFAULTS = '--check=sha256';
    try {
      assert.equal(sha(await through(compressor('xz', 1), small)), sha(plain));
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) Reflect.deleteProperty(process.env, name);
        else process.env[name] = value;
      }
    }
  });

  void it('names the Debian package when the tool is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      for (const [kind, pkg] of [
        ['xz', 'xz-utils'],
        ['zstd', 'zstd'],
      ] as const) {
        const error = await within(
          5000,
          through(compressor(kind), input).then(
            () => undefined,
            (e: unknown) => e,
          ),
        );
        assert.ok(error instanceof KpkgError, String(error));
        assert.match(error.message, new RegExp(`'${kind}' is not installed`));
        assert.equal(error.hint, `apt-get install ${pkg}`);
      }
      const error = await within(
        5000,
        through(decompressor('bzip2'), input).then(
          () => undefined,
          (e: unknown) => e,
        ),
      );
      assert.ok(error instanceof KpkgError && error.hint === 'apt-get install bzip2');
    } finally {
      process.env.PATH = path;
    }
  });
});

void describe('decompressor', () => {
  for (const kind of ['xz', 'zstd', 'bzip2'] as const) {
    void it(`${kind}: corrupt input fails with the tool's message, without hanging`, async () => {
      const error = await within(
        10000,
        through(decompressor(kind), sampleData(200000)).then(
          () => undefined,
          (e: unknown) => e,
        ),
      );
      assert.ok(error instanceof KpkgError, String(error));
      assert.match(error.message, new RegExp(`'${kind} -d.*' failed \\(exit status \\d+\\)`));
    });
  }

  void it('xz: truncated input fails', async () => {
    const compressed = await through(compressor('xz', 1), small);
    await assert.rejects(
      within(10000, through(decompressor('xz'), compressed.subarray(0, compressed.length - 100))),
      /failed \(exit status 1\).*Unexpected end of input/,
    );
  });

  void it('gzip: corrupt input fails', async () => {
    await assert.rejects(within(5000, through(decompressor('gzip'), sampleData(1000))), /incorrect header check/);
  });

  void it('destroying a filter mid-stream kills the child and settles', async () => {
    const filter = decompressor('xz');
    filter.write(await through(compressor('xz', 0), input.subarray(0, 100000)));
    const closed = new Promise((resolve) => filter.on('close', resolve));
    filter.destroy();
    await within(5000, closed);
  });

  void it('knows the kind from a member name', () => {
    assert.equal(compressionOfName('data.tar.xz'), 'xz');
    assert.equal(compressionOfName('data.tar.zst'), 'zstd');
    assert.equal(compressionOfName('control.tar.gz'), 'gzip');
    assert.equal(compressionOfName('data.tar.bz2'), 'bzip2');
    assert.equal(compressionOfName('data.tar'), 'none');
    assert.equal(compressionOfName('data.tar.lzma'), undefined);
  });
});
