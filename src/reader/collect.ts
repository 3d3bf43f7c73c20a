/**
 * Turns archive members into verify's Member records while their bodies stream past: the body is
 * read once, hashed (deb), its ELF header parsed, its text scanned, and then dropped. Only the
 * first 8 KiB of a big file are kept while it streams, more only for an ELF file whose PT_INTERP
 * lies further in.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { parseNeeded } from '../elf/dynamic.js';
import { isElfMagic, parseElf, type ElfReadResult } from '../elf/elf.js';
import { letTheLoopTurn } from '../util/interrupt.js';
import { containsPrivateKey, looksLikeText, scanText, TEXT_SNIFF_BYTES } from './content-scan.js';
import { ReadBudget } from './limits.js';
import { installPath } from './member-path.js';
import type { Member, MemberType } from './model.js';
import { isKernelConfigPath } from './shipped-configs.js';

/** Files up to this size are gathered whole and analysed in one go. */
const WHOLE_FILE_LIMIT = 1024 * 1024;
/** How far into a big ELF file its program headers and PT_INTERP are looked for. */
const MAX_ELF_HEAD = 64 * 1024 * 1024;
/** Overlap between windows when scanning a big file, so a match across two chunks is still seen. */
const SCAN_OVERLAP = 2048;
/** Host paths remembered per file: enough to show the problem. */
const HOST_PATHS_PER_FILE = 8;
const EMPTY_MD5 = createHash('md5').digest('hex');
/** ELF executables and shared objects up to this size are kept whole while they stream, for their dynamic section. */
const MAX_DYNAMIC_ELF = 64 * 1024 * 1024;
/** Debian changelogs read (gzip-compressed): who packaged it. */
const MAX_CHANGELOG = 64 * 1024;

/** Executables and shared objects: the ELF files that can need shared libraries. */
function linksLibraries(elf: ElfReadResult | undefined): boolean {
  return elf?.kind === 'elf' && (elf.elf.type === 'DYN' || elf.elf.type === 'EXEC');
}

/** Small files whose text the checks read. */
const KEPT_TEXT_LIMIT = 8 * 1024 * 1024;

/** Files whose contents the checks need: kernel configurations (shipped-configs.ts), release, wrapper Makefiles and a tree's GNUmakefile, .PKGINFO. */
function keepsText(path: string, size: number): boolean {
  if (size > KEPT_TEXT_LIMIT) return false;
  return (
    isKernelConfigPath(path) ||
    path.endsWith('/include/config/kernel.release') ||
    path.endsWith('/include/generated/utsrelease.h') ||
    path.endsWith('/scripts/gcc-plugins/kpkg-target-gcc') ||
    ((path.endsWith('/Makefile') || path.endsWith('/GNUmakefile')) && size <= 4096)
  );
}

export interface CollectOptions {
  /** Compute MD5 digests (for deb md5sums). */
  md5: boolean;
}

export interface RawMember {
  /** Name as stored in the archive. */
  name: string;
  type: MemberType;
  size: number;
  mode: number;
  /** Symlink target, or hardlink target as an archive member name. */
  link?: string;
}

export class MemberCollector {
  readonly members: Member[] = [];
  readonly #where: string;
  readonly #options: CollectOptions;
  /** What this package makes verify keep, against READ_LIMITS. */
  readonly budget: ReadBudget;

  constructor(where: string, options: CollectOptions) {
    this.#where = where;
    this.#options = options;
    this.budget = new ReadBudget(where);
  }

  /**
   * Records a member; for a file, consumes its body. Returns the record (undefined for the archive
   * root). A package over one of READ_LIMITS is refused (KpkgError, exit status 2).
   */
  async add(raw: RawMember, body?: AsyncIterable<Buffer>): Promise<Member | undefined> {
    await letTheLoopTurn();
    const path = installPath(raw.name, this.#where);
    if (path === undefined) return undefined;
    this.budget.member(path);
    const member: Member = { path, type: raw.type, size: raw.size, mode: raw.mode };
    if (raw.type === 'symlink' && raw.link !== undefined) member.link = raw.link;
    if (raw.type === 'hardlink' && raw.link !== undefined) member.link = installPath(raw.link, this.#where) ?? '/';
    if (member.link !== undefined) this.budget.name(member.link);
    if (raw.type === 'file' && raw.size === 0) {
      // Thousands of these in a 6.1 tree (include/config/<SYMBOL>): nothing to read or scan.
      if (this.#options.md5) member.md5 = EMPTY_MD5;
      member.isText = true;
      if (keepsText(member.path, 0)) member.text = '';
    } else if (raw.type === 'file' && body !== undefined) {
      await (raw.size <= WHOLE_FILE_LIMIT ? this.#analyseWhole(member, body) : this.#analyseStreaming(member, body));
      this.#chargeKept(member);
    }
    this.members.push(member);
    return member;
  }

  /** What the analysis kept of a file's contents, against the package's budget. */
  #chargeKept(member: Member): void {
    if (member.text !== undefined) this.budget.keep(member.text.length, 'texts of configurations and Makefiles');
    for (const path of member.hostPaths ?? []) this.budget.keep(path.length, 'build machine paths');
    const dynamic = member.dynamic;
    if (dynamic === undefined) return;
    // An array slot and a string header besides the characters.
    const names = [...dynamic.needed, ...(dynamic.soname === undefined ? [] : [dynamic.soname])];
    for (const name of names) this.budget.keep(name.length + 16, 'shared library names');
  }

  async #analyseWhole(member: Member, body: AsyncIterable<Buffer>): Promise<void> {
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of body) {
      chunks.push(chunk);
      length += chunk.length;
    }
    const data = chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, length);
    if (this.#options.md5) member.md5 = createHash('md5').update(data).digest('hex');
    if (isElfMagic(data)) {
      member.elf = parseElf(data);
      if (linksLibraries(member.elf)) this.#addDynamic(member, data);
    }
    if (member.path.endsWith('/changelog.Debian.gz') && data.length <= MAX_CHANGELOG) {
      try {
        member.text = gunzipSync(data, { maxOutputLength: 16 * MAX_CHANGELOG }).toString('utf8');
      } catch {
        // Not gzip after all: nothing to read from it.
      }
    }
    if (looksLikeText(data)) {
      member.isText = true;
      const found = new Set<string>();
      if (scanText(data, found, HOST_PATHS_PER_FILE)) member.privateKey = true;
      if (found.size > 0) member.hostPaths = [...found];
      if (keepsText(member.path, member.size)) member.text = data.toString('utf8');
    } else if (containsPrivateKey(data)) {
      member.privateKey = true;
    }
  }

  #addDynamic(member: Member, data: Uint8Array): void {
    const dynamic = parseNeeded(data);
    if (dynamic !== undefined) member.dynamic = dynamic;
  }

  async #analyseStreaming(member: Member, body: AsyncIterable<Buffer>): Promise<void> {
    const hash = this.#options.md5 ? createHash('md5') : undefined;
    const head: Buffer[] = [];
    let headLength = 0;
    let headWanted = TEXT_SNIFF_BYTES;
    let sniffed = false;
    let elf: ElfReadResult | undefined;
    let text = false;
    let carry: Buffer = Buffer.alloc(0);
    const found = new Set<string>();
    let privateKey = false;
    let keptText: Buffer[] | undefined = keepsText(member.path, member.size) ? [] : undefined;
    /** The whole body of an executable or shared object, kept for its dynamic section. */
    let whole: Buffer[] | undefined;

    const headBytes = (): Buffer =>
      head.length === 1 && head[0] !== undefined ? head[0] : Buffer.concat(head, headLength);
    const sniff = (): void => {
      sniffed = true;
      const bytes = headBytes();
      text = looksLikeText(bytes);
      if (!isElfMagic(bytes)) headWanted = 0;
    };

    for await (const chunk of body) {
      hash?.update(chunk);
      keptText?.push(chunk);
      whole?.push(chunk);
      if (headLength < headWanted) {
        head.push(chunk);
        headLength += chunk.length;
        if (!sniffed && headLength >= TEXT_SNIFF_BYTES) sniff();
        if (sniffed && headWanted > 0 && headLength >= headWanted) {
          // An ELF file: parse what we have; a program header or PT_INTERP further in asks for more.
          const result = parseElf(headBytes());
          if (result.kind === 'truncated' && headLength < member.size && headWanted < MAX_ELF_HEAD) {
            headWanted = Math.min(MAX_ELF_HEAD, Math.max(headWanted * 16, 1024 * 1024));
          } else {
            elf = result;
            headWanted = 0;
            if (linksLibraries(elf) && member.size <= MAX_DYNAMIC_ELF) whole = [...head];
          }
        }
      }
      const window = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      if (sniffed ? text : looksLikeText(window)) {
        if (scanText(window, found, HOST_PATHS_PER_FILE)) privateKey = true;
      } else if (!privateKey && containsPrivateKey(window)) {
        privateKey = true;
      }
      carry = Buffer.from(window.subarray(Math.max(0, window.length - SCAN_OVERLAP)));
      if (headWanted === 0 && head.length > 0) {
        head.length = 0;
        headLength = 0;
      }
    }
    if (!sniffed) sniff();
    if (elf === undefined && headLength > 0 && isElfMagic(headBytes())) elf = parseElf(headBytes());
    if (hash !== undefined) member.md5 = hash.digest('hex');
    if (elf !== undefined) member.elf = elf;
    if (whole !== undefined) this.#addDynamic(member, Buffer.concat(whole));
    if (text) member.isText = true;
    if (privateKey) member.privateKey = true;
    if (text && found.size > 0) member.hostPaths = [...found];
    if (text && keptText !== undefined) member.text = Buffer.concat(keptText).toString('utf8');
    keptText = undefined;
  }
}
