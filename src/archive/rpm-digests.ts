/**
 * The digests `rpm -K` checks (rpm 4.18 lib/rpmvs.c, lib/rpmchecksig.c), computed while the package
 * streams: the signature header's SHA256 and SHA1 of the main header's bytes, its MD5 of the main
 * header and the compressed payload, and the main header's PAYLOADDIGEST of the compressed payload
 * (PAYLOADDIGESTALGO, SHA256 when absent). A digest tag of the wrong type, count or not hex is a
 * failed digest, as for rpm; a range (header, payload) that no digest covers is reported missing.
 */
import { createHash, type Hash } from 'node:crypto';
import type { RpmHeader } from './rpm.js';
import { RPM_TYPE, RPMSIGTAG, RPMTAG } from './rpm-tags.js';

/** One digest's verdict, named as `rpm -Kv` names it. */
export interface RpmDigestResult {
  /** "Header SHA256 digest", "Header SHA1 digest", "Payload SHA256 digest", "MD5 digest". */
  name: string;
  ok: boolean;
  /** The digest the package states (hex), when the tag could be read as one. */
  expected?: string;
  /** The digest of the bytes read (hex). */
  found?: string;
  /** Why the tag could not be used, in rpm's words ("package tag 273: invalid hex"). */
  problem?: string;
}

/** The parts of the file rpm's digests range over. */
export type RpmDigestRange = 'header' | 'payload';

export interface RpmDigestVerdicts {
  results: RpmDigestResult[];
  /** Ranges no digest covers: rpm -K says DIGESTS NOT OK (…: NOTFOUND). */
  missing: RpmDigestRange[];
}

/** OpenPGP hash algorithm numbers (RFC 4880 9.4) as PAYLOADDIGESTALGO holds them, and rpm's names. */
const HASH_ALGORITHMS: ReadonlyMap<number, { node: string; name: string }> = new Map([
  [1, { node: 'md5', name: 'MD5' }],
  [2, { node: 'sha1', name: 'SHA1' }],
  [8, { node: 'sha256', name: 'SHA256' }],
  [9, { node: 'sha384', name: 'SHA384' }],
  [10, { node: 'sha512', name: 'SHA512' }],
  [11, { node: 'sha224', name: 'SHA224' }],
]);
const SHA256 = 8;

/** A digest to compute and the value the package states for it (or why that value is unusable). */
interface Expected {
  name: string;
  hash: Hash;
  stated: string | { problem: string };
}

/** rpm's validHex: an even number of hex digits, at least a SHA1's 40. */
function isDigestHex(text: string): boolean {
  return text.length % 2 === 0 && text.length >= 40 && /^[0-9a-fA-F]+$/.test(text);
}

/** rpmsinfoInit: the tag's value as a hex digest, or rpm's words for why it is not one. */
function statedDigest(
  header: RpmHeader,
  tag: number,
  type: number,
  origin: string,
): string | { problem: string } | undefined {
  const found = header.type(tag);
  if (found === undefined) return undefined;
  if (found !== type) return { problem: `${origin} tag ${tag}: invalid type ${found}` };
  if (type === RPM_TYPE.BIN) {
    const bytes = header.binary(tag) ?? Buffer.alloc(0);
    return bytes.length < 16
      ? { problem: `${origin} tag ${tag}: invalid data (${bytes.length})` }
      : bytes.toString('hex');
  }
  if (type === RPM_TYPE.STRING && header.count(tag) !== 1)
    return { problem: `${origin}: tag ${tag}: invalid count ${header.count(tag) ?? 0}` };
  const text = header.string(tag) ?? '';
  return isDigestHex(text) ? text.toLowerCase() : { problem: `${origin}: tag ${tag}: invalid hex` };
}

/** The digests of one package, fed the main header's bytes, then the payload's. */
export class RpmDigests {
  readonly #header: Expected[] = [];
  readonly #payload: Expected[] = [];
  readonly #md5: Expected | undefined;

  constructor(signature: RpmHeader) {
    const origin = 'package';
    const add = (into: Expected[], tag: number, type: number, name: string, algorithm: string): void => {
      const stated = statedDigest(signature, tag, type, origin);
      if (stated !== undefined) into.push({ name, hash: createHash(algorithm), stated });
    };
    add(this.#header, RPMSIGTAG.SHA256, RPM_TYPE.STRING, 'Header SHA256 digest', 'sha256');
    add(this.#header, RPMSIGTAG.SHA1, RPM_TYPE.STRING, 'Header SHA1 digest', 'sha1');
    const md5: Expected[] = [];
    add(md5, RPMSIGTAG.MD5, RPM_TYPE.BIN, 'MD5 digest', 'md5');
    this.#md5 = md5[0];
  }

  /** Bytes of the main header, in file order. */
  header(bytes: Buffer): void {
    for (const e of this.#header) e.hash.update(bytes);
    this.#md5?.hash.update(bytes);
  }

  /** Takes the payload digest the main header states (PAYLOADDIGEST with PAYLOADDIGESTALGO). */
  payloadDigest(main: RpmHeader): void {
    const algorithm = main.has(RPMTAG.PAYLOADDIGESTALGO) ? main.numbers(RPMTAG.PAYLOADDIGESTALGO)?.[0] : SHA256;
    const known = HASH_ALGORITHMS.get(algorithm ?? SHA256);
    const name = `Payload ${known?.name ?? `algorithm ${algorithm ?? SHA256}`} digest`;
    if (main.type(RPMTAG.PAYLOADDIGEST) === undefined) return;
    const stated = statedDigest(main, RPMTAG.PAYLOADDIGEST, RPM_TYPE.STRING_ARRAY, 'package');
    if (known === undefined) {
      const problem = `PAYLOADDIGESTALGO ${algorithm ?? SHA256} is no hash algorithm rpm knows`;
      this.#payload.push({ name, hash: createHash('sha256'), stated: { problem } });
      return;
    }
    if (stated !== undefined) this.#payload.push({ name, hash: createHash(known.node), stated });
  }

  /** A chunk of the compressed payload, in file order. */
  payload(chunk: Buffer): void {
    for (const e of this.#payload) e.hash.update(chunk);
    this.#md5?.hash.update(chunk);
  }

  /** The verdicts, once the whole file has been fed. */
  results(): RpmDigestVerdicts {
    const all = [...this.#header, ...this.#payload, ...(this.#md5 === undefined ? [] : [this.#md5])];
    const results = all.map(verdict);
    const missing: RpmDigestRange[] = [];
    if (this.#md5 === undefined && this.#header.length === 0) missing.push('header');
    if (this.#md5 === undefined && this.#payload.length === 0) missing.push('payload');
    return { results, missing };
  }
}

function verdict({ name, hash, stated }: Expected): RpmDigestResult {
  const found = hash.digest('hex');
  if (typeof stated !== 'string') return { name, ok: false, problem: stated.problem };
  return { name, ok: stated === found, expected: stated, found };
}
