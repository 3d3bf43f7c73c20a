/**
 * What verify looks for inside file contents: PEM private key blocks anywhere, and in text files absolute paths that give away the build
 * machine — home directories, and absolute paths into a kernel tree (".../include/...",
 * ".../scripts/...", ".../arch/...") such as a compiler records when building in /srv/linux.
 * Whether such a path is a leak is decided later, once the whole package set is known (a path
 * the set itself installs is not one).
 */
import { isElfMagic } from '../elf/elf.js';

/** How much of a file decides whether it is text, as grep and git do: no NUL byte in it. */
export const TEXT_SNIFF_BYTES = 8192;

export function looksLikeText(head: Uint8Array): boolean {
  return !isElfMagic(head) && head.subarray(0, TEXT_SNIFF_BYTES).indexOf(0) === -1;
}

const PEM_TAIL = Buffer.from('PRIVATE KEY-----', 'latin1');
const PEM_BEGIN = Buffer.from('-----BEGIN ', 'latin1');
/** Base64 characters a real key body has at least (a 256-bit EC key is ~160). */
const PEM_MIN_BODY = 64;

function isBase64Byte(b: number): boolean {
  return (
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    (b >= 0x30 && b <= 0x39) ||
    b === 0x2b ||
    b === 0x2f ||
    b === 0x3d
  );
}

/**
 * A "-----BEGIN <anything> PRIVATE KEY-----" line followed by a base64 body (after optional
 * "Proc-Type:"-style header lines of legacy encrypted keys). A string that merely names the
 * marker, as key-handling source code does, has no body and does not count.
 */
export function containsPrivateKey(data: Buffer): boolean {
  for (let at = data.indexOf(PEM_TAIL); at !== -1; at = data.indexOf(PEM_TAIL, at + 1)) {
    if (privateKeyAt(data, at)) return true;
  }
  return false;
}

/** Whether the "PRIVATE KEY-----" at `at` ends a BEGIN line followed by a key body. */
function privateKeyAt(data: Buffer, at: number): boolean {
  const lineStart = data.lastIndexOf(0x0a, at) + 1;
  const begin = data.indexOf(PEM_BEGIN, Math.max(lineStart, at - 64));
  if (begin === -1 || begin > at) return false;
  return bodyLength(data, at + PEM_TAIL.length) >= PEM_MIN_BODY;
}

/** Base64 characters in the lines after `from`, skipping RFC 1421 header lines ("Proc-Type: ..."). */
function bodyLength(data: Buffer, from: number): number {
  let count = 0;
  let at = from;
  let inBody = false;
  while (at < data.length && count < PEM_MIN_BODY) {
    const eol = data.indexOf(0x0a, at);
    const end = eol === -1 ? data.length : eol;
    let line = data.subarray(at, end);
    if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    at = end + 1;
    if (line.length === 0) continue;
    if (!inBody && line.includes(0x3a)) continue; // a header line
    inBody = true;
    if (!line.every(isBase64Byte)) break;
    count += line.length;
  }
  return count;
}

/** Kernel tree directories: an absolute path running through one is a path into some kernel tree. */
export const TREE_MARKERS = ['/include/', '/scripts/', '/arch/'] as const;
const MAX_TOKEN = 1024;

/** Characters of a path as it appears in Makefiles, .cmd files and C: no spaces, quotes, ':', '=' or ','. */
function isPathByte(b: number): boolean {
  return (
    (b >= 0x61 && b <= 0x7a) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x30 && b <= 0x39) ||
    b === 0x2f || // /
    b === 0x2e || // .
    b === 0x5f || // _
    b === 0x2d || // -
    b === 0x2b || // +
    b === 0x7e || // ~
    b === 0x40 || // @
    b === 0x25 // %
  );
}

/** The whole path-like token around position `at`, or undefined when it is not an absolute path. */
function tokenAt(data: Buffer, at: number, needleLength: number): string | undefined {
  let start = at;
  while (start > 0 && at - start < MAX_TOKEN && isPathByte(data[start - 1] ?? 0)) start--;
  // $(srctree)/scripts/..., ${objtree}/include/...: a path under a variable, not an absolute one.
  const before = start > 0 ? (data[start - 1] ?? 0) : 0;
  if (before === 0x29 || before === 0x7d) return undefined;
  let end = at + needleLength;
  while (end < data.length && end - at < MAX_TOKEN && isPathByte(data[end] ?? 0)) end++;
  let token = data.toString('latin1', start, end);
  // A compiler option glued to the path: -I/srv/linux/include, -L/home/me/lib.
  const option = /^-[A-Za-z]+(?=\/)/.exec(token);
  if (option !== null) token = token.slice(option[0].length);
  if (!token.startsWith('/') || token.startsWith('//')) return undefined;
  return token.replace(/[.-]+$/, '');
}

/** Home directory prefix: /home/<user>/... or /root/... (not the bare directories). */
export function isHomePath(path: string): boolean {
  return /^\/home\/[^/]+\/./.test(path) || /^\/root\/./.test(path);
}

/**
 * System locations a text may name without giving anything away, even when followed by an
 * include/ or scripts/ directory (/usr/include/..., /usr/src/linux-headers-*, /lib/modules/...).
 */
const SYSTEM_PREFIXES = [
  '/usr/',
  '/lib/',
  '/lib32/',
  '/lib64/',
  '/libx32/',
  '/etc/',
  '/opt/',
  '/bin/',
  '/sbin/',
  '/proc/',
  '/sys/',
  '/dev/',
  '/run/',
  '/boot/',
  '/var/lib/',
];

/** The part of `path` before its first kernel-tree marker, when it looks like a tree outside the system directories. */
export function treePrefixOf(path: string): string | undefined {
  let first = -1;
  for (const marker of TREE_MARKERS) {
    const i = path.indexOf(marker);
    if (i !== -1 && (first === -1 || i < first)) first = i;
  }
  // Not found, or the path starts with the tree directory ("/arch/arm64/..." after a variable).
  if (first <= 0) return undefined;
  const prefix = path.slice(0, first);
  if (SYSTEM_PREFIXES.some((p) => `${prefix}/`.startsWith(p))) return undefined;
  return prefix;
}

/** The PEM marker, the home directory needles and the kernel tree markers of TREE_MARKERS. */
const TEXT_NEEDLES = /PRIVATE KEY-----|\/(?:home|root|include|scripts|arch)\//g;

/**
 * Everything looked for in a text file, in one pass: one regular expression over the bytes read
 * as latin1 (one byte, one character, so match positions are byte offsets) finds both the PEM
 * marker and the path needles, faster than one indexOf pass per needle. Adds to `out` (at most
 * `limit` entries) the absolute paths that may be the build machine's — home directory paths and
 * paths into a kernel tree outside the system directories — and returns whether a private key
 * was found.
 */
export function scanText(data: Buffer, out: Set<string>, limit: number): boolean {
  const text = data.toString('latin1');
  let privateKey = false;
  for (const match of text.matchAll(TEXT_NEEDLES)) {
    const at = match.index;
    const needle = match[0];
    if (needle === 'PRIVATE KEY-----') {
      if (!privateKey && privateKeyAt(data, at)) privateKey = true;
      continue;
    }
    if (out.size >= limit) continue;
    const token = tokenAt(data, at, needle.length);
    if (token === undefined) continue;
    if (
      needle === '/home/' || needle === '/root/'
        ? isHomePath(token)
        : !isHomePath(token) && treePrefixOf(token) !== undefined
    )
      out.add(token);
  }
  return privateKey;
}
