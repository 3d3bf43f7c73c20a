/**
 * Compression and decompression as streams: xz, zstd and bzip2 through the system tools (fast,
 * multi-threaded, and the very encoders Debian uses), gzip through node:zlib, 'none' as a
 * pass-through. Every (de)compressor is a Duplex: write the input, read the output; a tool that
 * is missing, exits non-zero or dies from a signal fails the stream with a KpkgError.
 *
 * Reproducibility. Same input, level and tool version give the same bytes on any machine:
 *  - xz: the single-threaded (-T1) and multi-threaded encoders write different bytes; the
 *    multi-threaded one cuts the input into fixed-size blocks (3 × dictionary: 24 MiB at -6), so its
 *    output does not depend on the thread count. xz 5.2 silently falls back to the single-threaded
 *    encoder for -T0 on a one-core machine, so we always pass an explicit count of at least 2 (the
 *    cores, at most 16). dpkg-deb 1.21 uses the multi-threaded encoder too: a data.tar.xz is
 *    byte-identical to its output, except that a deb's changelog is a block of its own
 *    (xz-blocks.ts), so that a new version recompresses only that block.
 *  - zstd: the bytes do not depend on the thread count; we pass -T with the same count as xz.
 *  - The environment variables that change the tools' defaults (XZ_DEFAULTS, XZ_OPT, ZSTD_CLEVEL,
 *    ZSTD_NBTHREADS, BZIP2, BZIP) are removed for the child.
 *  - gzip: zlib with no file name and mtime 0 in the header; bytes depend on Node's bundled zlib.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { Duplex, PassThrough } from 'node:stream';
import { constants as zlibConstants, createGunzip, createGzip } from 'node:zlib';
import { KpkgError } from '../util/errors.js';

export type CompressionKind = 'xz' | 'zstd' | 'gzip' | 'none';
export type DecompressionKind = CompressionKind | 'bzip2';

/** dpkg-deb's defaults (dpkg-deb(1), -z): gzip 9, xz 6, zstd 3. */
export const DEFAULT_COMPRESSION_LEVEL: Readonly<Record<CompressionKind, number>> = {
  xz: 6,
  zstd: 3,
  gzip: 9,
  none: 0,
};

const LEVEL_RANGE: Readonly<Record<CompressionKind, readonly [number, number]>> = {
  xz: [0, 9],
  zstd: [1, 22],
  gzip: [0, 9],
  none: [0, 0],
};

/** The file-name suffix of each kind, as in "data.tar.xz". */
export const COMPRESSION_SUFFIX: Readonly<Record<DecompressionKind, string>> = {
  xz: '.xz',
  zstd: '.zst',
  gzip: '.gz',
  bzip2: '.bz2',
  none: '',
};

/** The kind a name such as "data.tar.zst" is compressed with; undefined for an unknown suffix. */
export function compressionOfName(name: string): DecompressionKind | undefined {
  for (const kind of ['xz', 'zstd', 'gzip', 'bzip2'] as const) {
    if (name.endsWith(COMPRESSION_SUFFIX[kind])) return kind;
  }
  return name.endsWith('.tar') ? 'none' : undefined;
}

interface Tool {
  command: string;
  debianPackage: string;
}

const TOOLS = {
  xz: { command: 'xz', debianPackage: 'xz-utils' },
  zstd: { command: 'zstd', debianPackage: 'zstd' },
  bzip2: { command: 'bzip2', debianPackage: 'bzip2' },
} as const satisfies Record<string, Tool>;

/** Threads for the multi-threaded encoders: always in multi-threaded mode, output independent of the count. */
export function encoderThreads(): number {
  return Math.min(16, Math.max(2, availableParallelism()));
}

/** `level`, or the kind's default, checked against the kind's range. */
export function compressionLevel(kind: CompressionKind, level?: number): number {
  const chosen = level ?? DEFAULT_COMPRESSION_LEVEL[kind];
  const [min, max] = LEVEL_RANGE[kind];
  if (!Number.isInteger(chosen) || chosen < min || chosen > max) {
    throw new KpkgError(`compression level ${chosen} is out of range for ${kind} (${min}-${max})`);
  }
  return chosen;
}

const XZ_ARGS = ['-c', '-q', '--format=xz', '--check=crc64'];

/** The dictionary of each xz preset, 0-9 (xz(1), the presets table). */
const XZ_DICTIONARY_MIB = [0.25, 1, 2, 4, 4, 8, 8, 16, 32, 64] as const;

/**
 * The block size of xz's multi-threaded encoder at a preset: three times the dictionary, at least
 * 1 MiB (xz(1), --block-size) — 24 MiB at -6.
 */
export function xzBlockSize(level?: number): number {
  const dictionary = XZ_DICTIONARY_MIB[compressionLevel('xz', level)] ?? 8;
  return Math.max(3 * dictionary, 1) * 1024 * 1024;
}

/**
 * An xz compressor for one block of at most xzBlockSize(level) bytes: the multi-threaded encoder,
 * whose output for it is one block, the very bytes that block has in a whole stream cut at the
 * same place (archive/xz-container.ts puts such blocks together).
 */
export function xzBlockCompressor(level?: number): Duplex {
  const chosen = compressionLevel('xz', level);
  return new ChildFilter(TOOLS.xz, [...XZ_ARGS, `-${chosen}`, '-T2', `--block-size=${xzBlockSize(chosen)}`]);
}

/** A compressing Duplex. `level` defaults to dpkg-deb's default for the kind. */
export function compressor(kind: CompressionKind, level?: number): Duplex {
  const chosen = compressionLevel(kind, level);
  switch (kind) {
    case 'xz':
      return new ChildFilter(TOOLS.xz, [...XZ_ARGS, `-${chosen}`, `-T${encoderThreads()}`]);
    case 'zstd':
      return new ChildFilter(TOOLS.zstd, [
        '-c',
        '-q',
        '--no-progress',
        ...(chosen > 19 ? ['--ultra'] : []),
        `-${chosen}`,
        `-T${encoderThreads()}`,
      ]);
    case 'gzip':
      return createGzip({ level: chosen, strategy: zlibConstants.Z_DEFAULT_STRATEGY });
    case 'none':
      return new PassThrough();
  }
}

/** A decompressing Duplex. */
export function decompressor(kind: DecompressionKind): Duplex {
  switch (kind) {
    case 'xz':
      return new ChildFilter(TOOLS.xz, ['-d', '-c', '-q', '-T0']);
    case 'zstd':
      return new ChildFilter(TOOLS.zstd, ['-d', '-c', '-q', '--no-progress']);
    case 'bzip2':
      return new ChildFilter(TOOLS.bzip2, ['-d', '-c', '-q']);
    case 'gzip':
      return createGunzip();
    case 'none':
      return new PassThrough();
  }
}

const TOOL_ENVIRONMENT = ['XZ_DEFAULTS', 'XZ_OPT', 'ZSTD_CLEVEL', 'ZSTD_NBTHREADS', 'BZIP2', 'BZIP'];

function childEnvironment(): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([name]) => !TOOL_ENVIRONMENT.includes(name));
  return { ...Object.fromEntries(kept), LC_ALL: 'C' };
}

const STDERR_KEEP = 4096;

/**
 * A child process as a Duplex: what is written goes to its stdin, its stdout is what is read.
 * The readable side ends only after the child exited with status 0; any other outcome destroys
 * the stream with a KpkgError carrying the child's stderr. Destroying the stream kills the child.
 */
class ChildFilter extends Duplex {
  readonly #child;
  readonly #tool: Tool;
  #stderr = '';

  constructor(tool: Tool, args: readonly string[]) {
    super();
    this.#tool = tool;
    const child = spawn(tool.command, args, { env: childEnvironment(), stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child = child;
    child.stdout.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) child.stdout.pause();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (this.#stderr.length < STDERR_KEEP) this.#stderr += chunk.toString('utf8');
    });
    // EPIPE when the child exits before reading everything: its exit status says why.
    child.stdin.on('error', () => undefined);
    child.on('error', (error: NodeJS.ErrnoException) => {
      this.destroy(
        error.code === 'ENOENT'
          ? new KpkgError(`'${tool.command}' is not installed (needed to (de)compress package members)`, {
              hint: `apt-get install ${tool.debianPackage}`,
              cause: error,
            })
          : new KpkgError(`cannot run '${tool.command}': ${error.message}`, { cause: error }),
      );
    });
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
      if (this.destroyed) return;
      if (code === 0) {
        this.push(null);
        return;
      }
      const how = signal === null ? `exit status ${code ?? '?'}` : `signal ${signal}`;
      const detail = this.#stderr.trim();
      this.destroy(
        new KpkgError(`'${tool.command} ${args.join(' ')}' failed (${how})${detail === '' ? '' : `: ${detail}`}`),
      );
    });
  }

  override _read(): void {
    this.#child.stdout.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const stdin = this.#child.stdin;
    if (stdin.destroyed || !stdin.writable) {
      // The child is gone or going; 'close' reports how. Swallow the data meanwhile.
      callback();
      return;
    }
    if (stdin.write(chunk)) {
      callback();
      return;
    }
    const resume = (): void => {
      stdin.off('drain', resume);
      stdin.off('close', resume);
      callback();
    };
    stdin.on('drain', resume);
    stdin.on('close', resume);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#child.stdin.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const child = this.#child;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    child.stdout.destroy();
    child.stdin.destroy();
    callback(error);
  }

  /** For error messages. */
  override toString(): string {
    return `${this.#tool.command} filter`;
  }
}

const identities = new Map<CompressionKind, Promise<string>>();

/**
 * What the bytes of a compressor depend on besides its input, kind and level: the program's
 * version (xz, zstd) or the zlib bundled with Node (gzip). For cache keys.
 */
export function compressorIdentity(kind: CompressionKind): Promise<string> {
  let identity = identities.get(kind);
  if (identity === undefined) {
    identity = (async (): Promise<string> => {
      if (kind === 'gzip') return `zlib ${process.versions.zlib ?? '?'}`;
      if (kind === 'none') return 'none';
      const tool = TOOLS[kind];
      const version = await new Promise<string>((resolve) => {
        const child = spawn(tool.command, ['--version'], {
          env: childEnvironment(),
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
        child.on('error', () => resolve('missing'));
        child.on('close', () => resolve(out.trim()));
      });
      return `${tool.command} ${version} threads-mode ${encoderThreads() > 1 ? 'multi' : 'single'}`;
    })();
    identities.set(kind, identity);
  }
  return identity;
}
