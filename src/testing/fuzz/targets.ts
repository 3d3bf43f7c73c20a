/**
 * The fuzz targets: each reader of untrusted bytes, its seeds, and how one exec drives it.
 * An exec passes when the reader returns or throws KpkgError (the one error kpkg's readers
 * define); the ELF parsers promise never to throw at all. Anything else is a finding.
 */
import { writeFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { readAr } from '../../archive/ar.js';
import { readCpio } from '../../archive/cpio.js';
import { openRpm } from '../../archive/rpm.js';
import { readTar } from '../../archive/tar.js';
import { auditElfBuffers, checkElf, type ElfExpectation } from '../../elf/audit.js';
import { parseDynamic } from '../../elf/dynamic.js';
import { parseElf, readElfFile } from '../../elf/elf.js';
import { describeIdentity, identityOf } from '../../elf/identity.js';
import { commandFromCmdFile } from '../../kernel/cmd-files.js';
import { KpkgError } from '../../util/errors.js';
import { decompressed } from '../../reader/decompressed.js';
import { inputKindOf, readInput } from '../../reader/open.js';
import { verifyPackages } from '../../verify/verify.js';
import { chunked, chunkStream } from './chunks.js';
import { Random } from '../random.js';
import type { Samples } from './samples.js';

export interface ExecContext {
  /** A directory of the worker's own, for targets that read files. */
  scratch: string;
  /** Decides how the input is cut into chunks and which bodies are read. */
  chunkSeed: number;
}

export interface FuzzTarget {
  readonly name: string;
  readonly what: string;
  /** Longest input the mutator makes. */
  readonly maxLength: number;
  /** One exec taking longer is a hang. */
  readonly timeoutMs: number;
  /** Tokens worth inserting. */
  readonly dictionary: readonly string[];
  /** Re-seal tar header checksums after mutating (inputs that hold uncompressed tar headers). */
  readonly resealTar: boolean;
  seeds(samples: Samples): Promise<Buffer[]>;
  /** Resolves to a short description of what the reader made of the input (feedback), or nothing. */
  exec(input: Buffer, context: ExecContext): Promise<string | undefined>;
}

/** An exec broke a reader's promise (never throws; file and buffer agree): always a finding. */
export class ContractBroken extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'ContractBroken';
  }
}

/** Whether an exception is the reader's own, defined rejection of the input. */
export function isDefinedRejection(error: unknown): boolean {
  return error instanceof KpkgError;
}

function neverThrows<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new ContractBroken(`${what} threw, but it promises to return a result for any bytes`, { cause: error });
  }
}

/** Calls a reader method, letting only its defined rejection pass, so later calls still run. */
function tolerateRejection(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!isDefinedRejection(error)) throw error;
  }
}

const ARM64: ElfExpectation = {
  identity: { machine: 183, class: 64, endian: 'little' },
  interpreter: '/lib/ld-linux-aarch64.so.1',
};
/** Bodies read whole are refused above this (the readers' bytes(limit)). */
const BODY_LIMIT = 1024 * 1024;
/** Decompressed output read at most (a bomb is cut here, which also exercises stopping early). */
const DECOMPRESSED_LIMIT = 64 * 1024 * 1024;

/** How an archive consumer treats one member: read whole, read one chunk, or leave it unread. */
async function consumeBody(
  random: Random,
  body: AsyncIterable<Buffer>,
  bytes: (limit: number) => Promise<Buffer>,
): Promise<void> {
  const how = random.below(3);
  if (how === 0) await bytes(BODY_LIMIT);
  else if (how === 1) {
    for await (const chunk of body) {
      if (chunk.length >= 0) break;
    }
  }
}

const ARCHIVE_TOKENS = [
  '!<arch>\n',
  '`\n',
  'debian-binary   ',
  'ustar\u000000',
  'ustar  \u0000',
  '././@LongLink',
  '070701',
  '070702',
  'TRAILER!!!\u0000',
  '77777777777',
  'ffffffff',
  '99999999999',
];

const elf: FuzzTarget = {
  name: 'elf',
  what: 'ELF header and PT_INTERP (parseElf, readElfFile, the ELF audit and identity)',
  maxLength: 512 * 1024,
  timeoutMs: 3000,
  dictionary: ['\u007fELF\u0002\u0001\u0001', '\u007fELF\u0001\u0002\u0001', '/lib/ld-linux-aarch64.so.1\u0000'],
  resealTar: false,
  seeds: (samples) => samples.elf(),
  async exec(input, context) {
    const fromBuffer = neverThrows('parseElf', () => parseElf(input));
    neverThrows('checkElf', () => checkElf('fuzz', fromBuffer, ARM64));
    neverThrows('auditElfBuffers', () => auditElfBuffers([{ path: 'fuzz', bytes: input, kernelObject: true }], ARM64));
    if (fromBuffer.kind === 'elf') neverThrows('describeIdentity', () => describeIdentity(identityOf(fromBuffer.elf)));
    const verdict =
      fromBuffer.kind === 'elf'
        ? `elf ${fromBuffer.elf.class} ${fromBuffer.elf.type} ${fromBuffer.elf.interpreter === undefined ? '' : 'interp'}`
        : fromBuffer.kind === 'not-elf'
          ? 'not-elf'
          : `${fromBuffer.kind}: ${fromBuffer.reason}`;
    // The file reader shares the parser; compared on every 8th exec (file I/O costs most of an exec).
    if (context.chunkSeed % 8 !== 0) return verdict;
    const path = join(context.scratch, 'elf');
    await writeFile(path, input);
    const fromFile = await readElfFile(path);
    if (!isDeepStrictEqual(fromFile, fromBuffer)) {
      throw new ContractBroken(
        `readElfFile and parseElf disagree: ${JSON.stringify(fromFile)} vs ${JSON.stringify(fromBuffer)}`,
      );
    }
    return verdict;
  },
};

const elfDynamic: FuzzTarget = {
  name: 'elf-dynamic',
  what: 'dynamic section, DT_NEEDED, symbols and version needs (parseDynamic)',
  maxLength: 512 * 1024,
  timeoutMs: 3000,
  dictionary: ['GLIBC_2.34\u0000', 'libc.so.6\u0000'],
  resealTar: false,
  seeds: (samples) => samples.elf(),
  exec(input) {
    const info = neverThrows('parseDynamic', () => parseDynamic(input));
    const size = (n: number): string => (n === 0 ? '0' : n < 4 ? 'few' : 'many');
    return Promise.resolve(
      info === undefined
        ? 'none'
        : `needed ${size(info.needed.length)} imports ${size(info.imports.length)} versioned ${size(info.imports.filter((i) => i.version !== undefined).length)} soname ${info.soname === undefined ? 'no' : 'yes'}`,
    );
  },
};

const ar: FuzzTarget = {
  name: 'ar',
  what: 'ar container (readAr)',
  maxLength: 1024 * 1024,
  timeoutMs: 3000,
  dictionary: ARCHIVE_TOKENS,
  resealTar: true,
  seeds: async (samples) => [...(await samples.packages()).deb, ...(await samples.realDebs())],
  async exec(input, context) {
    const random = new Random(context.chunkSeed ^ 0x5a5a5a5a);
    let count = 0;
    for await (const member of readAr(chunked(input, context.chunkSeed), { where: 'fuzz.deb' })) {
      count++;
      await consumeBody(random, member.body, (limit) => member.bytes(limit));
    }
    return `${Math.min(count, 8)} entries`;
  },
};

const tar: FuzzTarget = {
  name: 'tar',
  what: 'tar: ustar, GNU long names, pax records (readTar)',
  maxLength: 1024 * 1024,
  timeoutMs: 3000,
  dictionary: [
    ...ARCHIVE_TOKENS,
    '30 path=../../etc/passwd\n',
    '20 size=99999999999\n',
    '13 linkpath=x\n',
    '9 mtime=\n',
  ],
  resealTar: true,
  seeds: (samples) => samples.tars(),
  async exec(input, context) {
    const random = new Random(context.chunkSeed ^ 0x5a5a5a5a);
    let count = 0;
    for await (const entry of readTar(chunked(input, context.chunkSeed), { where: 'fuzz.tar' })) {
      count++;
      await consumeBody(random, entry.body, (limit) => entry.bytes(limit));
    }
    return `${Math.min(count, 8)} entries`;
  },
};

const cpio: FuzzTarget = {
  name: 'cpio',
  what: 'newc cpio, the rpm payload (readCpio)',
  maxLength: 1024 * 1024,
  timeoutMs: 3000,
  dictionary: ARCHIVE_TOKENS,
  resealTar: false,
  seeds: (samples) => samples.cpios(),
  async exec(input, context) {
    const random = new Random(context.chunkSeed ^ 0x5a5a5a5a);
    let count = 0;
    for await (const entry of readCpio(chunked(input, context.chunkSeed), { where: 'fuzz.cpio' })) {
      count++;
      await consumeBody(random, entry.body, (limit) => entry.bytes(limit));
    }
    return `${Math.min(count, 8)} entries`;
  },
};

const rpmHeader: FuzzTarget = {
  name: 'rpm-header',
  what: 'rpm lead, signature and main header checked as rpm checks them, every tag read as every type, the digests (openRpm, RpmHeader)',
  maxLength: 1024 * 1024,
  timeoutMs: 3000,
  dictionary: ['\u00ed\u00ab\u00ee\u00db', '\u008e\u00ad\u00e8\u0001', 'cpio\u0000', 'xz\u0000', 'zstd\u0000'],
  resealTar: false,
  seeds: async (samples) => (await samples.packages()).rpm,
  async exec(input, context) {
    const pkg = await openRpm(chunked(input, context.chunkSeed), { where: 'fuzz.rpm' });
    try {
      for (const header of [pkg.signature, pkg.header]) {
        for (const tag of header.tags()) {
          tolerateRejection(() => header.strings(tag));
          tolerateRejection(() => header.string(tag));
          tolerateRejection(() => header.numbers(tag));
          tolerateRejection(() => header.binary(tag));
        }
      }
      for await (const chunk of pkg.payload) if (chunk.length >= 0) break;
      const { results } = await pkg.digests();
      const ok = results.filter((r) => r.ok).length;
      return `${pkg.payloadCompression} ${Math.min(pkg.header.tags().length, 8)} tags, ${ok} of ${results.length} digests match`;
    } finally {
      await pkg.close();
    }
  },
};

const KINDS = ['gzip', 'xz', 'zstd', 'bzip2', 'none'] as const;

const compression: FuzzTarget = {
  name: 'compression',
  what: 'compression framing: magic detection and the xz, zstd, gzip, bzip2 streams (inputKindOf, decompressed)',
  maxLength: 512 * 1024,
  timeoutMs: 5000,
  dictionary: ['\u00fd7zXZ\u0000', '(\u00b5/\u00fd', '\u001f\u008b\u0008', 'BZh9'],
  resealTar: false,
  seeds: async (samples) => (await samples.system()).compressed,
  async exec(input, context) {
    const detected = inputKindOf(input.subarray(0, 512));
    const kind = detected?.reader === 'tar' ? detected.compression : (KINDS[(input[0] ?? 0) % KINDS.length] ?? 'none');
    let total = 0;
    for await (const chunk of decompressed(kind, chunkStream(input, context.chunkSeed))) {
      total += chunk.length;
      if (total > DECOMPRESSED_LIMIT) break;
    }
    return `${kind} ${total === 0 ? 'empty' : total < 4096 ? 'small' : 'large'}`;
  },
};

function packageTarget(
  name: string,
  what: string,
  suffix: string,
  seeds: (samples: Samples) => Promise<Buffer[]>,
  resealTar: boolean,
): FuzzTarget {
  return {
    name,
    what,
    maxLength: 1024 * 1024,
    timeoutMs: 8000,
    dictionary: ARCHIVE_TOKENS,
    resealTar,
    seeds,
    async exec(input, context) {
      const path = join(context.scratch, `input${suffix}`);
      await writeFile(path, input);
      const pkg = await readInput(path);
      const report = verifyPackages([pkg], 'arm64');
      return `${pkg.format} ${Math.min(pkg.members.length, 8)} members ${report.findings.length === 0 ? 'clean' : 'findings'}`;
    },
  };
}

const verifyDeb = packageTarget(
  'verify-deb',
  'whole .deb as kpkg verify reads and checks it (readInput, verifyPackages)',
  '.deb',
  async (samples) => [
    ...(await samples.packages()).deb,
    ...(await samples.realDebs()),
    ...(await samples.hostile()).deb,
  ],
  true,
);
const verifyRpm = packageTarget(
  'verify-rpm',
  'whole .rpm as kpkg verify reads and checks it',
  '.rpm',
  async (samples) => (await samples.packages()).rpm,
  false,
);
const verifyTarball = packageTarget(
  'verify-tarball',
  'whole tarball and pacman package as kpkg verify reads and checks it',
  '.tar',
  async (samples) => [...(await samples.packages()).tarball, ...(await samples.hostile()).tarball],
  true,
);

/** The .cmd parser, called through the signature it is being rewritten to (text, where?). */
const parseCmdFile: (text: string, where?: string) => string[] | undefined = commandFromCmdFile;

const cmd: FuzzTarget = {
  name: 'cmd',
  what: 'Kbuild .cmd parser (commandFromCmdFile)',
  maxLength: 64 * 1024,
  timeoutMs: 2000,
  dictionary: [
    'cmd_',
    'savedcmd_',
    ' := ',
    ':=',
    '\\\n',
    "'",
    '"',
    '\\',
    '\\#',
    '$(',
    ')',
    '$$',
    '\n',
    ';',
    '`',
    '\u0000',
    '#',
  ],
  resealTar: false,
  seeds: (samples) => samples.cmdTexts(),
  exec(input) {
    const words = parseCmdFile(input.toString('utf8'), 'fuzz/.x.o.cmd');
    return Promise.resolve(words === undefined ? 'none' : `${Math.min(words.length, 8)} words`);
  },
};

export const TARGETS: readonly FuzzTarget[] = [
  elf,
  elfDynamic,
  ar,
  tar,
  cpio,
  rpmHeader,
  compression,
  verifyDeb,
  verifyRpm,
  verifyTarball,
  cmd,
];

export function targetNamed(name: string): FuzzTarget {
  const target = TARGETS.find((t) => t.name === name);
  if (target === undefined)
    throw new Error(`unknown fuzz target '${name}' (known: ${TARGETS.map((t) => t.name).join(', ')})`);
  return target;
}
