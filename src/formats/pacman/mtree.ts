/**
 * The .MTREE text makepkg 6.0 makes with
 *
 *   bsdtar -cnf - --format=mtree --options='!all,use-set,type,uid,gid,mode,time,size,md5,sha256,link'
 *
 * (create_package), reproduced from libarchive's mtree writer (archive_write_set_format_mtree.c,
 * 3.6/3.7). makepkg 6.1/7.0 dropped md5, but pacman 6.0's `-Qkk` checks md5digest and reports
 * every file "MD5 checksum mismatch" without it; an extra keyword is harmless to pacman 7.
 *
 *  - "#mtree", then the tree depth first: a directory's line, then its non-directory children,
 *    then its subdirectories, siblings by byte order of their names; "." itself is not listed;
 *  - `/set` lines (use-set): on entering each directory the most frequent uid, gid and mode of
 *    its children are counted (ties: the value met first) and a new `/set` is written when one
 *    of them is used by at least two children and differs from the current one (the first
 *    `/set` also says type=file, and is written whatever the counts);
 *  - each line: "./path", then time, then mode/gid/uid unless equal to the `/set` ones, then
 *    type (not for regular files: the /set says file), size, link, md5digest, sha256digest;
 *  - names and link targets with every byte outside printable ASCII, and ' ', '#', '=', '\',
 *    escaped as a backslash and three octal digits (mtree_quote).
 */

export type MtreeEntry =
  | { type: 'dir'; path: string; mode: number }
  | { type: 'file'; path: string; mode: number; size: number; md5: string; sha256: string }
  | { type: 'link'; path: string; target: string };

/** libarchive's safe_char table: printable ASCII but ' ', '#', '=', '\\' and DEL. */
function isSafe(byte: number): boolean {
  return byte > 0x20 && byte < 0x7f && byte !== 0x23 && byte !== 0x3d && byte !== 0x5c;
}

export function mtreeQuote(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += isSafe(byte) ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return out;
}

interface Node {
  entry: MtreeEntry | undefined; // undefined for the root "."
  children: Node[];
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The tree of `entries` (paths relative, without "./"); every parent must be among them. */
function buildTree(entries: readonly MtreeEntry[]): Node {
  const root: Node = { entry: undefined, children: [] };
  const dirs = new Map<string, Node>([['', root]]);
  const sorted = [...entries].sort((a, b) => compareBytes(a.path, b.path));
  for (const entry of sorted) {
    const slash = entry.path.lastIndexOf('/');
    const parent = dirs.get(slash === -1 ? '' : entry.path.slice(0, slash));
    if (parent === undefined) throw new Error(`mtree: the parent directory of ${entry.path} is not listed`);
    const node: Node = { entry, children: [] };
    parent.children.push(node);
    if (entry.type === 'dir') dirs.set(entry.path, node);
  }
  for (const node of dirs.values())
    node.children.sort((a, b) => compareBytes(baseName(a.entry?.path ?? ''), baseName(b.entry?.path ?? '')));
  return root;
}

function modeOf(entry: MtreeEntry): number {
  return entry.type === 'link' ? 0o777 : entry.mode & 0o7777;
}

/**
 * The most frequent value, as libarchive's attr_counter list keeps it: a counter moves ahead
 * only past counters with a strictly lower count, so ties go to the value seen first.
 */
function mostFrequent(values: readonly number[]): { value: number; count: number } | undefined {
  const counters: { value: number; count: number }[] = [];
  for (const value of values) {
    const index = counters.findIndex((counter) => counter.value === value);
    if (index === -1) {
      counters.push({ value, count: 1 });
      continue;
    }
    const counter = counters[index];
    if (counter === undefined) continue;
    counter.count++;
    let to = index;
    while (to > 0 && (counters[to - 1]?.count ?? 0) < counter.count) to--;
    if (to !== index) {
      counters.splice(index, 1);
      counters.splice(to, 0, counter);
    }
  }
  return counters[0];
}

/** The text of the .MTREE (before gzip), for entries relative to the package root. Owners are root (0). */
export function mtreeText(entries: readonly MtreeEntry[], mtime: number): string {
  const out: string[] = ['#mtree\n'];
  // The /set state: undefined until the first /set; `owners` when it holds uid=0 gid=0.
  let set: { owners: boolean; mode: number | undefined } | undefined;
  const time = ` time=${mtime}.0`;

  const writeGlobal = (children: readonly Node[]): void => {
    const top = mostFrequent(children.map((child) => (child.entry === undefined ? 0 : modeOf(child.entry))));
    if (set === undefined) {
      // The first /set: type=file, and the owners and mode when the directory has children.
      set = { owners: top !== undefined, mode: top?.value };
      out.push(`/set type=file${top === undefined ? '' : ` uid=0 gid=0 mode=${top.value.toString(8)}`}\n`);
      return;
    }
    if (top === undefined) return;
    let keys = '';
    if (!set.owners) {
      set.owners = true;
      keys += ' uid=0 gid=0';
    }
    if (set.mode === undefined || (top.count >= 2 && top.value !== set.mode)) {
      set.mode = top.value;
      keys += ` mode=${top.value.toString(8)}`;
    }
    if (keys !== '') out.push(`/set${keys}\n`);
  };

  const writeLine = (entry: MtreeEntry): void => {
    const mode = modeOf(entry);
    let line = `./${mtreeQuote(entry.path)}${time}`;
    if (set?.mode !== mode) line += ` mode=${mode.toString(8)}`;
    if (set?.owners !== true) line += ' gid=0 uid=0';
    switch (entry.type) {
      case 'dir':
        line += ' type=dir';
        break;
      case 'link':
        line += ` type=link link=${mtreeQuote(entry.target)}`;
        break;
      case 'file':
        line += ` size=${entry.size} md5digest=${entry.md5} sha256digest=${entry.sha256}`;
        break;
    }
    out.push(`${line}\n`);
  };

  const visit = (dir: Node): void => {
    writeGlobal(dir.children);
    if (dir.entry !== undefined) writeLine(dir.entry);
    for (const child of dir.children)
      if (child.entry?.type !== 'dir' && child.entry !== undefined) writeLine(child.entry);
    for (const child of dir.children) if (child.entry?.type === 'dir') visit(child);
  };
  visit(buildTree(entries));
  return out.join('');
}
