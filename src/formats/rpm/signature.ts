/**
 * The signature header, as rpm 4.18's rpmGenerateSignature (lib/signature.c) writes it for an
 * unsigned package: the header's SHA-1 and SHA-256 (hex strings), MD5 over header + compressed
 * payload (16 bytes), the sizes, and RESERVEDSPACE — zeros that `rpmsign --addsign` later
 * replaces with a signature in place (32 bytes + %__gpg_reserved_space, 4096 by default).
 * When either size reaches 4 GiB both become 64-bit tags (LONGSIZE, LONGARCHIVESIZE) and the
 * reserved space shrinks so the header keeps its size. The header is padded to 8 bytes
 * (rpmWriteSignature).
 */
import { RPMSIGTAG, RPMTAG } from '../../archive/rpm.js';
import { HeaderBuilder } from './header.js';

const GPG_RESERVED_SPACE = 4096;
const ALWAYS_RESERVED = 32;
const UINT32_MAX = 0xffffffff;

export interface SignatureInput {
  /** Hex digests of the main header's bytes. */
  headerSha1: string;
  headerSha256: string;
  /** MD5 of the main header followed by the compressed payload. */
  md5: Buffer;
  /** Main header + compressed payload, in bytes. */
  size: number;
  /** The uncompressed cpio archive, in bytes. */
  payloadSize: number;
}

function build(input: SignatureInput, long: boolean, reserved: number): HeaderBuilder {
  const sig = new HeaderBuilder()
    .string(RPMSIGTAG.SHA1, input.headerSha1)
    .string(RPMSIGTAG.SHA256, input.headerSha256)
    .binary(RPMSIGTAG.MD5, input.md5);
  if (long) sig.int64(RPMSIGTAG.LONGARCHIVESIZE, [input.payloadSize]).int64(RPMSIGTAG.LONGSIZE, [input.size]);
  else sig.int32(RPMSIGTAG.PAYLOADSIZE, [input.payloadSize]).int32(RPMSIGTAG.SIZE, [input.size]);
  if (reserved > 0) sig.binary(RPMSIGTAG.RESERVEDSPACE, new Uint8Array(reserved));
  return sig;
}

/** The signature header bytes, padding to a multiple of 8 included. */
export function encodeSignature(input: SignatureInput): Buffer {
  let reserved = ALWAYS_RESERVED;
  const long = input.size >= UINT32_MAX || input.payloadSize >= UINT32_MAX;
  if (long) {
    // rpm measures both variants without the reserved space and takes the difference off it.
    const short = build({ ...input, size: 0, payloadSize: 0 }, false, 0).encode(RPMTAG.HEADERSIGNATURES).length;
    const wide = build(input, true, 0).encode(RPMTAG.HEADERSIGNATURES).length;
    reserved -= wide - short;
  }
  reserved += GPG_RESERVED_SPACE;
  const header = build(input, long, reserved).encode(RPMTAG.HEADERSIGNATURES);
  const pad = (8 - (header.length % 8)) % 8;
  return pad === 0 ? header : Buffer.concat([header, Buffer.alloc(pad)]);
}
