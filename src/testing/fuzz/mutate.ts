/**
 * Byte-level mutations of fuzz inputs, AFL-havoc style: a stack of bit flips, interesting byte
 * and word values, truncation, chunk duplication and removal, splicing with another sample, and
 * two cheap structure-aware tweaks — rewriting the ASCII number fields of ar, tar, cpio and .cmd
 * texts, and re-sealing tar header checksums so a mutated header gets past the checksum check.
 */
import type { Random } from '../random.js';

/** What a mutation can draw on besides the input itself. */
export interface MutationContext {
  /** Other samples to splice from. */
  corpus: readonly Uint8Array[];
  /** Tokens worth inserting whole (magics, separators, keywords). */
  dictionary: readonly Uint8Array[];
  /** Inputs are cut to this length. */
  maxLength: number;
}

const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x20, 0x0a, 0x30, 0x37, 0x39] as const;

/** Values that probe size, offset and count checks: zero, one, sign boundaries, all ones. */
function interestingWords(length: number): bigint[] {
  return [
    0n,
    1n,
    0x7fn,
    0x80n,
    0xffn,
    0x7fffn,
    0x8000n,
    0xffffn,
    0x7fffffffn,
    0x80000000n,
    0xffffffffn,
    0x1_0000_0000n,
    0x7fffffffffffffffn,
    0xffffffffffffffffn,
    BigInt(length),
    BigInt(length + 1),
    BigInt(Math.max(0, length - 1)),
    0x1000_0000n,
  ];
}

/** A copy (Buffer's slice() is a view, so never that). */
export function copyOf(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

type Mutation = (input: Uint8Array, random: Random, context: MutationContext) => Uint8Array;

function flipBit(input: Uint8Array, random: Random): Uint8Array {
  if (input.length === 0) return input;
  const out = copyOf(input);
  const at = random.below(out.length);
  out[at] = (out[at] ?? 0) ^ (1 << random.below(8));
  return out;
}

function setByte(input: Uint8Array, random: Random): Uint8Array {
  if (input.length === 0) return input;
  const out = copyOf(input);
  out[random.below(out.length)] = random.chance(0.7) ? random.pick(INTERESTING_BYTES) : random.below(256);
  return out;
}

function setWord(input: Uint8Array, random: Random): Uint8Array {
  const width = random.pick([2, 4, 8] as const);
  if (input.length < width) return input;
  const out = copyOf(input);
  let at = random.below(out.length - width + 1);
  if (random.chance(0.7)) at -= at % width; // header fields are aligned
  const bits = BigInt(width * 8);
  const value = random.pick(interestingWords(input.length)) & ((1n << bits) - 1n);
  const little = random.chance(0.5);
  for (let i = 0; i < width; i++) {
    const byte = Number((value >> BigInt(8 * i)) & 0xffn);
    out[little ? at + i : at + width - 1 - i] = byte;
  }
  return out;
}

function truncate(input: Uint8Array, random: Random): Uint8Array {
  if (input.length === 0) return input;
  // Mostly near the end (a download cut short), sometimes anywhere.
  const cut = random.chance(0.5)
    ? input.length - 1 - random.below(Math.min(input.length, 1024))
    : random.below(input.length);
  return input.subarray(0, cut);
}

function chunkBounds(input: Uint8Array, random: Random): [number, number] {
  const start = random.below(input.length);
  const length = 1 + random.below(Math.min(input.length - start, random.chance(0.8) ? 64 : 4096));
  return [start, start + length];
}

function duplicateChunk(input: Uint8Array, random: Random, context: MutationContext): Uint8Array {
  if (input.length === 0) return input;
  const [start, end] = chunkBounds(input, random);
  const at = random.below(input.length + 1);
  return concat([input.subarray(0, at), input.subarray(start, end), input.subarray(at)], context.maxLength);
}

function removeChunk(input: Uint8Array, random: Random): Uint8Array {
  if (input.length === 0) return input;
  const [start, end] = chunkBounds(input, random);
  return concat([input.subarray(0, start), input.subarray(end)], Number.MAX_SAFE_INTEGER);
}

function splice(input: Uint8Array, random: Random, context: MutationContext): Uint8Array {
  if (context.corpus.length === 0) return input;
  const other = random.pick(context.corpus);
  if (other.length === 0) return input;
  const at = random.below(input.length + 1);
  if (random.chance(0.5)) {
    // Head of this one, tail of the other.
    return concat([input.subarray(0, at), other.subarray(random.below(other.length))], context.maxLength);
  }
  const [start, end] = chunkBounds(other, random);
  const overwrite = random.chance(0.5);
  return concat(
    [
      input.subarray(0, at),
      other.subarray(start, end),
      input.subarray(overwrite ? Math.min(input.length, at + end - start) : at),
    ],
    context.maxLength,
  );
}

function insertToken(input: Uint8Array, random: Random, context: MutationContext): Uint8Array {
  const token =
    context.dictionary.length > 0 && random.chance(0.8)
      ? random.pick(context.dictionary)
      : Uint8Array.from({ length: 1 + random.below(8) }, () => random.below(256));
  const at = random.below(input.length + 1);
  const overwrite = random.chance(0.5);
  return concat(
    [input.subarray(0, at), token, input.subarray(overwrite ? Math.min(input.length, at + token.length) : at)],
    context.maxLength,
  );
}

const isDigit = (byte: number | undefined): boolean =>
  byte !== undefined &&
  ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46));

/** Rewrites an ASCII number (decimal, octal or hex digits) found at or after a random position. */
function rewriteTextNumber(input: Uint8Array, random: Random, context: MutationContext): Uint8Array {
  if (input.length === 0) return input;
  let start = random.below(input.length);
  const limit = Math.min(input.length, start + 4096);
  while (start < limit && !isDigit(input[start])) start++;
  if (start >= limit) return input;
  while (start > 0 && isDigit(input[start - 1])) start--;
  let end = start;
  while (end < input.length && isDigit(input[end])) end++;
  const width = end - start;
  const fill = random.pick(['9', '0', '7', 'f', 'F', ' ', '-', 'x']);
  const choices = [
    fill.repeat(width),
    `${'0'.repeat(Math.max(0, width - 1))}1`,
    '4294967295',
    '18446744073709551615',
    '-1',
    String(random.u32()),
    random.u32().toString(16),
    random.u32().toString(8),
    '',
  ];
  const text = random.pick(choices);
  const keepWidth = random.chance(0.7);
  const replacement = Buffer.from(keepWidth ? text.padStart(width, '0').slice(-width) : text, 'latin1');
  return concat([input.subarray(0, start), replacement, input.subarray(end)], context.maxLength);
}

const MUTATIONS: readonly Mutation[] = [
  flipBit,
  flipBit,
  setByte,
  setByte,
  setWord,
  setWord,
  truncate,
  duplicateChunk,
  removeChunk,
  splice,
  insertToken,
  rewriteTextNumber,
  rewriteTextNumber,
];

function concat(parts: readonly Uint8Array[], maxLength: number): Uint8Array {
  const total = Math.min(
    maxLength,
    parts.reduce((sum, part) => sum + part.length, 0),
  );
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    if (at >= total) break;
    const take = part.subarray(0, total - at);
    out.set(take, at);
    at += take.length;
  }
  return out;
}

/** A stack of 1, 2, 4 or 8 mutations of `input` (never modified in place). */
export function mutate(input: Uint8Array, random: Random, context: MutationContext): Uint8Array {
  const count = 1 << random.below(4);
  let out = input;
  for (let i = 0; i < count; i++) out = random.pick(MUTATIONS)(out, random, context);
  return out.length > context.maxLength ? out.subarray(0, context.maxLength) : out;
}

const USTAR = Buffer.from('ustar', 'latin1');
const TAR_MAGIC_OFFSET = 257;

/**
 * Recomputes the checksum of every tar header block in `input` (found by its "ustar" magic, at
 * any offset, so a data.tar inside an uncompressed .deb counts), in place: a mutated header then
 * reaches the parsing behind the checksum check.
 */
export function resealTarHeaders(input: Uint8Array): void {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  for (let magic = bytes.indexOf(USTAR, TAR_MAGIC_OFFSET); magic !== -1; magic = bytes.indexOf(USTAR, magic + 1)) {
    const start = magic - TAR_MAGIC_OFFSET;
    if (start + 512 > bytes.length) break;
    bytes.fill(0x20, start + 148, start + 156);
    let sum = 0;
    for (let i = start; i < start + 512; i++) sum += bytes[i] ?? 0;
    bytes.write(`${sum.toString(8).padStart(6, '0')}\0 `, start + 148, 'latin1');
  }
}
