/**
 * Streaming reader for RPM v3/v4 package files (the format rpm 4 writes):
 *
 *   lead (96 bytes: magic ed ab ee db, major/minor, type, archnum, name, osnum, signature type),
 *   signature header, padded to a multiple of 8 bytes,
 *   main header (name, version, arch, file list, payload format and compressor ...),
 *   payload: a cpio archive (newc), compressed as the header's PAYLOADCOMPRESSOR says.
 *
 * A header is magic 8e ad e8 01, 4 reserved bytes, the index entry count and the data size
 * (big-endian 32-bit), then 16-byte index entries (tag, type, offset, count) and the data store.
 * The reader checks every size against rpm's own limits (lib/header.c: fewer than 65536 tags,
 * under 16 MiB of data) before reading, so a hostile header cannot make it allocate much; then
 * each header as rpm 4.18 checks it (rpm-header-checks.ts), and it computes the digests rpm -K
 * checks while the file streams (rpm-digests.ts).
 */
import { KpkgError } from '../util/errors.js';
import type { ByteSource } from './byte-reader.js';
import { ByteReader } from './byte-reader.js';
import type { DecompressionKind } from './compress.js';
import { fileListProblem, headerProblem, type IndexEntry } from './rpm-header-checks.js';
import { RpmDigests, type RpmDigestVerdicts } from './rpm-digests.js';
import { RPM_TYPE, RPMTAG } from './rpm-tags.js';

export const RPM_LEAD_SIZE = 96;
export const RPM_LEAD_MAGIC: Buffer = Buffer.from([0xed, 0xab, 0xee, 0xdb]);
export const RPM_HEADER_MAGIC: Buffer = Buffer.from([0x8e, 0xad, 0xe8, 0x01]);
/** rpm's hdrchkTags / hdrchkData limits (lib/header.c). */
export const RPM_MAX_TAGS = 0xffff;
/** hdrblobVerifyLengths: a signature header has at most 32 tags. */
export const RPM_MAX_SIGNATURE_TAGS = 32;
export const RPM_MAX_DATA = 16 * 1024 * 1024;

export { RPMSIGTAG, RPMTAG, RPM_TYPE } from './rpm-tags.js';

/** Lead values (lib/rpmlead.c): format 3.0, a header-structured signature (RPMSIGTYPE_HEADERSIG). */
export const RPM_LEAD_SIGNATURE_TYPE = 5;

/** One parsed header: typed, bounds-checked access to its tags. */
export class RpmHeader {
  readonly #entries: ReadonlyMap<number, IndexEntry>;
  readonly #store: Buffer;
  readonly #fail: (message: string) => KpkgError;

  constructor(entries: readonly IndexEntry[], store: Buffer, fail: (message: string) => KpkgError) {
    // The first entry for a tag wins, as in rpm's headerGet.
    const map = new Map<number, IndexEntry>();
    for (const e of entries) if (!map.has(e.tag)) map.set(e.tag, e);
    this.#entries = map;
    this.#store = store;
    this.#fail = fail;
  }

  has(tag: number): boolean {
    return this.#entries.has(tag);
  }

  /** The tag's data type (RPM_TYPE), when the header has it. */
  type(tag: number): number | undefined {
    return this.#entries.get(tag)?.type;
  }

  /** How many values the tag's index entry declares (checked against the data when the header was read). */
  count(tag: number): number | undefined {
    return this.#entries.get(tag)?.count;
  }

  /** The tags present, in ascending order. */
  tags(): number[] {
    return [...this.#entries.keys()].sort((a, b) => a - b);
  }

  /** A STRING or I18NSTRING tag (the first string), or the first of a STRING_ARRAY. */
  string(tag: number): string | undefined {
    return this.strings(tag)?.[0];
  }

  /** A STRING, STRING_ARRAY or I18NSTRING tag as strings. */
  strings(tag: number): string[] | undefined {
    const e = this.#entries.get(tag);
    if (e === undefined) return undefined;
    if (e.type !== RPM_TYPE.STRING && e.type !== RPM_TYPE.STRING_ARRAY && e.type !== RPM_TYPE.I18NSTRING) {
      throw this.#fail(`rpm header tag ${tag} has type ${e.type}, not a string`);
    }
    const out: string[] = [];
    let at = e.offset;
    const count = e.type === RPM_TYPE.STRING ? 1 : e.count;
    for (let i = 0; i < count; i++) {
      const end = this.#store.indexOf(0, at);
      if (end === -1) throw this.#fail(`rpm header tag ${tag}: string ${i} runs past the end of the data store`);
      out.push(this.#store.toString('utf8', at, end));
      at = end + 1;
    }
    return out;
  }

  /** An INT8/CHAR, INT16, INT32 or INT64 tag as numbers (INT64 beyond 2^53 is refused). */
  numbers(tag: number): number[] | undefined {
    const e = this.#entries.get(tag);
    if (e === undefined) return undefined;
    const width =
      e.type === RPM_TYPE.INT8 || e.type === RPM_TYPE.CHAR
        ? 1
        : e.type === RPM_TYPE.INT16
          ? 2
          : e.type === RPM_TYPE.INT32
            ? 4
            : e.type === RPM_TYPE.INT64
              ? 8
              : 0;
    if (width === 0) throw this.#fail(`rpm header tag ${tag} has type ${e.type}, not a number`);
    if (e.offset + e.count * width > this.#store.length)
      throw this.#fail(`rpm header tag ${tag}: ${e.count} values run past the end of the data store`);
    const out: number[] = [];
    for (let i = 0; i < e.count; i++) {
      const at = e.offset + i * width;
      if (width === 8) {
        const v = this.#store.readBigUInt64BE(at);
        if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw this.#fail(`rpm header tag ${tag}: value ${v} is too large`);
        out.push(Number(v));
      } else {
        out.push(this.#store.readUIntBE(at, width));
      }
    }
    return out;
  }

  /** A BIN tag's bytes. */
  binary(tag: number): Buffer | undefined {
    const e = this.#entries.get(tag);
    if (e === undefined) return undefined;
    if (e.type !== RPM_TYPE.BIN) throw this.#fail(`rpm header tag ${tag} has type ${e.type}, not binary`);
    if (e.offset + e.count > this.#store.length)
      throw this.#fail(`rpm header tag ${tag}: ${e.count} bytes run past the end of the data store`);
    return this.#store.subarray(e.offset, e.offset + e.count);
  }
}

export interface RpmLead {
  major: number;
  minor: number;
  /** 0 binary, 1 source. */
  type: number;
  name: string;
  signatureType: number;
}

export interface RpmPackage {
  lead: RpmLead;
  signature: RpmHeader;
  header: RpmHeader;
  /** PAYLOADFORMAT: 'cpio' for every rpm kpkg reads. */
  payloadFormat: string;
  /** How to decompress the payload, from PAYLOADCOMPRESSOR (absent means gzip). */
  payloadCompression: DecompressionKind;
  /** The compressed payload: the rest of the file, streamed; iterate it once. */
  payload: AsyncIterable<Buffer>;
  /**
   * The signature header's digests checked as rpm -K checks them: reads what the payload's
   * consumer left of the file, then gives each digest's verdict (call it once, after the payload).
   */
  digests(): Promise<RpmDigestVerdicts>;
  /** Stops reading the file (call it when done, also after an error). */
  close(): Promise<void>;
}

export interface RpmReadOptions {
  /** The file's name, for error messages. */
  where?: string;
}

/**
 * PAYLOADCOMPRESSOR values rpm writes (lib/rpmio: gzdio, bzdio, xzdio, lzdio, zstdio). xz -d
 * auto-detects the legacy .lzma format too. rpm ≥ 4.4 writes the tag; without it the payload is gzip.
 */
export function payloadCompressionOf(
  compressor: string | undefined,
  fail: (message: string) => KpkgError,
): DecompressionKind {
  switch (compressor ?? 'gzip') {
    case 'gzip':
      return 'gzip';
    case 'bzip2':
      return 'bzip2';
    case 'xz':
    case 'lzma':
      return 'xz';
    case 'zstd':
      return 'zstd';
    case 'identity':
    case 'none':
      return 'none';
    default:
      throw fail(
        `unsupported rpm payload compressor '${compressor ?? ''}' (kpkg reads gzip, bzip2, xz, lzma and zstd)`,
      );
  }
}

/**
 * Reads the lead and both headers of an RPM package and hands back the payload as a stream.
 * Bad magic, unsupported lead versions, truncation and sizes beyond rpm's own limits are KpkgErrors.
 */
export async function openRpm(input: ByteSource, options: RpmReadOptions = {}): Promise<RpmPackage> {
  const reader = new ByteReader(input);
  const where = options.where;
  const fail = (message: string): KpkgError =>
    new KpkgError(
      where === undefined ? `rpm: ${message}` : `${where}: ${message}`,
      where === undefined ? {} : { where },
    );
  try {
    const lead = await readLead(reader, fail);
    const signature = await readHeader(reader, 'signature', fail);
    const sigPad = (8 - (reader.position % 8)) % 8;
    if ((await reader.skip(sigPad)) < sigPad) throw fail('file ends in the padding after the signature header');
    const digests = new RpmDigests(signature);
    const header = await readHeader(reader, 'main', fail, (bytes) => digests.header(bytes));
    const files = fileListProblem({
      count: (tag) => header.count(tag),
      dirIndexes: () => header.numbers(RPMTAG.DIRINDEXES) ?? [],
    });
    if (files !== undefined) throw fail(`rpm main header: ${files}`);
    digests.payloadDigest(header);
    const payloadFormat = header.string(RPMTAG.PAYLOADFORMAT) ?? 'cpio';
    if (payloadFormat !== 'cpio')
      throw fail(`unsupported rpm payload format '${payloadFormat}' (kpkg reads cpio payloads)`);
    const payloadCompression = payloadCompressionOf(header.string(RPMTAG.PAYLOADCOMPRESSOR), fail);
    // One read at a time: a decompressor stopped early may still be waiting on a chunk when digests() reads on.
    let reading: Promise<unknown> = Promise.resolve();
    const nextChunk = (): Promise<Buffer | null> => {
      const next = reading.then(async () => {
        const chunk = await reader.readSome(1 << 20);
        if (chunk !== null) digests.payload(chunk);
        return chunk;
      });
      reading = next.catch(() => undefined);
      return next;
    };
    let claimed = false;
    const payload: AsyncIterable<Buffer> = {
      [Symbol.asyncIterator]: async function* () {
        if (claimed) throw new Error('an rpm payload can be read only once');
        claimed = true;
        for (let chunk = await nextChunk(); chunk !== null; chunk = await nextChunk()) yield chunk;
      },
    };
    const rest = async (): Promise<RpmDigestVerdicts> => {
      while ((await nextChunk()) !== null) {
        // each chunk is digested as it is read
      }
      return digests.results();
    };
    return {
      lead,
      signature,
      header,
      payloadFormat,
      payloadCompression,
      payload,
      digests: rest,
      close: () => reader.close(),
    };
  } catch (e) {
    await reader.close();
    throw e;
  }
}

async function readLead(reader: ByteReader, fail: (message: string) => KpkgError): Promise<RpmLead> {
  const lead = await reader.read(RPM_LEAD_SIZE);
  if (lead.length === 0) throw fail('not an rpm package: the file is empty');
  if (lead.length < 4 || !lead.subarray(0, 4).equals(RPM_LEAD_MAGIC))
    throw fail('not an rpm package: bad lead magic (expected ed ab ee db)');
  if (lead.length < RPM_LEAD_SIZE) throw fail(`truncated rpm lead (${lead.length} of ${RPM_LEAD_SIZE} bytes)`);
  const major = lead[4] ?? 0;
  const minor = lead[5] ?? 0;
  if (major !== 3 && major !== 4)
    throw fail(`unsupported rpm lead version ${major}.${minor} (kpkg reads rpm v3 and v4 packages)`);
  const nameField = lead.subarray(10, 76);
  const nul = nameField.indexOf(0);
  const signatureType = lead.readUInt16BE(78);
  // RPMSIGTYPE_HEADERSIG: the signature is a header structure; rpm ≥ 4 writes nothing else.
  if (signatureType !== RPM_LEAD_SIGNATURE_TYPE)
    throw fail(`unsupported rpm signature type ${signatureType} (expected 5, a header)`);
  return {
    major,
    minor,
    type: lead.readUInt16BE(6),
    name: nameField.toString('latin1', 0, nul === -1 ? nameField.length : nul),
    signatureType,
  };
}

/** Which header is read: rpm's words for it, its region tag, and whether the region must be the whole header. */
const HEADER_KINDS = {
  signature: { regionTag: RPMTAG.HEADERSIGNATURES, exactSize: false, maxTags: RPM_MAX_SIGNATURE_TAGS },
  main: { regionTag: RPMTAG.HEADERIMMUTABLE, exactSize: true, maxTags: RPM_MAX_TAGS },
} as const;

async function readHeader(
  reader: ByteReader,
  which: keyof typeof HEADER_KINDS,
  fail: (message: string) => KpkgError,
  onBytes?: (bytes: Buffer) => void,
): Promise<RpmHeader> {
  const offset = reader.position;
  const intro = await reader.read(16);
  if (intro.length < 16) throw fail(`truncated rpm ${which} header at offset ${offset}`);
  if (!intro.subarray(0, 4).equals(RPM_HEADER_MAGIC))
    throw fail(`bad rpm ${which} header magic at offset ${offset} (expected 8e ad e8 01)`);
  const count = intro.readUInt32BE(8);
  const dataSize = intro.readUInt32BE(12);
  const { regionTag, exactSize, maxTags } = HEADER_KINDS[which];
  if (count === 0 || count > maxTags)
    throw fail(`rpm ${which} header at offset ${offset} declares ${count} tags (rpm allows 1 to ${maxTags})`);
  if (dataSize > RPM_MAX_DATA)
    throw fail(
      `rpm ${which} header at offset ${offset} declares ${dataSize} bytes of data (rpm allows at most ${RPM_MAX_DATA})`,
    );
  const index = await reader.read(count * 16);
  if (index.length < count * 16) throw fail(`truncated rpm ${which} header index at offset ${offset}`);
  const store = await reader.read(dataSize);
  if (store.length < dataSize) throw fail(`truncated rpm ${which} header data at offset ${offset}`);
  for (const bytes of [intro, index, store]) onBytes?.(bytes);
  const entries: IndexEntry[] = [];
  for (let at = 0; at < index.length; at += 16) {
    entries.push({
      tag: index.readUInt32BE(at),
      type: index.readUInt32BE(at + 4),
      offset: index.readUInt32BE(at + 8),
      count: index.readUInt32BE(at + 12),
    });
  }
  const problem = headerProblem({ entries, store, regionTag, exactSize });
  if (problem !== undefined) throw fail(`rpm ${which} header at offset ${offset}: ${problem}`);
  // Copy: the store is a view into the reader's chunk, which must not stay pinned.
  return new RpmHeader(entries, Buffer.from(store), fail);
}
