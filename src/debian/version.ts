/**
 * Debian versions (deb-version(7)): `[epoch:]upstream[-revision]`, ordered as dpkg orders them
 * (dpkg's lib/dpkg/version.c, verrevcmp()).
 */

export interface DebianVersion {
  readonly epoch: number;
  readonly upstream: string;
  /** After the last hyphen; '' when there is none. */
  readonly revision: string;
}

/**
 * The parts of a version, leniently: blanks around it are dropped, an epoch that is not a number
 * counts as 0 (and is dropped), and nothing is rejected.
 */
export function parseDebianVersion(version: string): DebianVersion {
  const v = version.trim();
  const colon = v.indexOf(':');
  let epoch = 0;
  let rest = v;
  if (colon >= 0) {
    const digits = v.slice(0, colon);
    epoch = /^\d+$/.test(digits) ? Number(digits) : 0;
    rest = v.slice(colon + 1);
  }
  const hyphen = rest.lastIndexOf('-');
  if (hyphen < 0) return { epoch, upstream: rest, revision: '' };
  return { epoch, upstream: rest.slice(0, hyphen), revision: rest.slice(hyphen + 1) };
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** dpkg's order(): `~` sorts before everything, even the end of the string; letters before other characters. */
function order(c: string): number {
  if (c === '' || isDigit(c)) return 0;
  if (/^[A-Za-z]$/.test(c)) return c.charCodeAt(0);
  if (c === '~') return -1;
  return c.charCodeAt(0) + 256;
}

/** Alternating non-digit and digit runs; digit runs compared as numbers of any length. */
function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a.charAt(i))) || (j < b.length && !isDigit(b.charAt(j)))) {
      const ac = order(a.charAt(i));
      const bc = order(b.charAt(j));
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a.charAt(i) === '0') i++;
    while (b.charAt(j) === '0') j++;
    let firstDiff = 0;
    while (isDigit(a.charAt(i)) && isDigit(b.charAt(j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a.charAt(i))) return 1;
    if (isDigit(b.charAt(j))) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

/**
 * Orders two Debian versions as dpkg does: epoch numerically, then the upstream part and the
 * revision with `~` before anything (1.0~rc1 < 1.0), letters before other characters and digit runs
 * compared as numbers of any length. -1, 0 or 1, like a sort comparator.
 */
export function compareDebianVersions(a: string, b: string): number {
  const va = parseDebianVersion(a);
  const vb = parseDebianVersion(b);
  if (va.epoch !== vb.epoch) return va.epoch < vb.epoch ? -1 : 1;
  const upstream = verrevcmp(va.upstream, vb.upstream);
  if (upstream !== 0) return Math.sign(upstream);
  return Math.sign(verrevcmp(va.revision, vb.revision));
}
