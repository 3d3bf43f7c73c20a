/**
 * A small, defensive reader of what an ELF executable or shared object needs from shared
 * libraries: DT_NEEDED, DT_SONAME and the undefined dynamic symbols with their GNU version
 * requirements (.gnu.version / .gnu.version_r) — the data dpkg-shlibdeps and rpm's elfdeps read.
 *
 * It finds everything through the section headers (strip keeps them). It never throws on what a
 * file contains: anything that is not an ELF with a dynamic section, or whose section headers are
 * damaged, is undefined; a damaged symbol or version table only loses the entries it cannot read.
 * Every offset is checked against the file and every loop is bounded by the bytes it walks.
 * Only failing to open or read a file at all throws (KpkgError).
 */
import { withRegularFile } from './elf.js';
import { FieldReader, fits, type ElfClass } from './fields.js';

export interface ImportedSymbol {
  /** Symbol name as in .dynstr. */
  readonly name: string;
  /** Version name from .gnu.version_r (e.g. 'GLIBC_2.34'), when the import is versioned. */
  readonly version?: string;
  /** The soname of the library the version belongs to (vn_file of the Verneed entry), when versioned. */
  readonly library?: string;
}

export interface DynamicInfo {
  /** DT_NEEDED entries, in order. */
  readonly needed: readonly string[];
  /** DT_SONAME, when present. */
  readonly soname?: string;
  /** Undefined (SHN_UNDEF), non-local dynamic symbols with a non-empty name (weak ones included, flagged). */
  readonly imports: readonly (ImportedSymbol & { readonly weak: boolean })[];
  /** ELF class, for consumers that render `()(64bit)` RPM dependencies. */
  readonly elfClass: 32 | 64;
}

type Import = DynamicInfo['imports'][number];

const ET_EXEC = 2;
const ET_DYN = 3;

const SHT_STRTAB = 3;
const SHT_DYNAMIC = 6;
const SHT_NOBITS = 8;
const SHT_DYNSYM = 11;
const SHT_GNU_VERNEED = 0x6ffffffe;
const SHT_GNU_VERSYM = 0x6fffffff;

const DT_NULL = 0;
const DT_NEEDED = 1;
const DT_SONAME = 14;

const SHN_UNDEF = 0;
const STB_LOCAL = 0;
const STB_WEAK = 2;

/** Version indexes 0 (*local*) and 1 (*global*) mean "no version". */
const VER_NDX_GLOBAL = 1;
/** Bit 15 of a .gnu.version entry marks a hidden version; the index is the other 15 bits. */
const VERSYM_HIDDEN = 0x8000;
/** Elf_Verneed and Elf_Vernaux are 16 bytes in both classes. */
const VERNEED_SIZE = 16;
const VERNAUX_SIZE = 16;

interface Layout {
  headerSize: number;
  shdrSize: number;
  symSize: number;
  dynSize: number;
}

const LAYOUT: Readonly<Record<ElfClass, Layout>> = {
  32: { headerSize: 52, shdrSize: 40, symSize: 16, dynSize: 8 },
  64: { headerSize: 64, shdrSize: 64, symSize: 24, dynSize: 16 },
};

interface Section {
  type: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
}

/** The file bytes of a section, cut to what the file holds (a truncated file yields what is left). */
function sectionBytes(bytes: Uint8Array, section: Section): Uint8Array {
  if (section.type === SHT_NOBITS || section.offset > bytes.length) return new Uint8Array(0);
  return bytes.subarray(section.offset, section.offset + Math.min(section.size, bytes.length - section.offset));
}

/** A string table: C strings at offsets into it; offsets outside it, or strings without a NUL, read as undefined. */
class StringTable {
  private static readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private readonly cache = new Map<number, string | undefined>();

  constructor(private readonly bytes: Uint8Array) {}

  at(offset: number): string | undefined {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= this.bytes.length) return undefined;
    if (this.cache.has(offset)) return this.cache.get(offset);
    const nul = this.bytes.indexOf(0, offset);
    const text = nul === -1 ? undefined : StringTable.decoder.decode(this.bytes.subarray(offset, nul));
    this.cache.set(offset, text);
    return text;
  }
}

const EMPTY_STRINGS = new StringTable(new Uint8Array(0));

/** Reads all section headers; undefined when the table is missing, too small per entry or past the end of the file. */
function readSections(bytes: Uint8Array, r: FieldReader): Section[] | undefined {
  const is64 = r.elfClass === 64;
  const layout = LAYOUT[r.elfClass];
  const shoff = r.word(is64 ? 40 : 32);
  const shentsize = r.u16(is64 ? 58 : 46);
  let shnum = r.u16(is64 ? 60 : 48);
  if (shoff === 0) return undefined;
  if (shentsize < layout.shdrSize) return undefined;
  if (!fits(shoff, layout.shdrSize, bytes.length)) return undefined;
  if (shnum === 0) {
    // More than 0xff00 sections: the real count is sh_size of section header 0.
    shnum = r.word(shoff + (is64 ? 32 : 20));
    if (shnum === 0) return undefined;
  }
  // Bounded by the file size: at most one header per shentsize bytes of file.
  if (!fits(shoff, shnum * shentsize, bytes.length)) return undefined;

  // Elf64_Shdr: name, type, flags(8), addr(8), offset(8), size(8), link, info, addralign(8), entsize(8).
  // Elf32_Shdr: the same fields, all 4 bytes.
  const [offsetAt, sizeAt, linkAt, infoAt, entsizeAt] = is64 ? [24, 32, 40, 44, 56] : [16, 20, 24, 28, 36];
  const sections: Section[] = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    sections.push({
      type: r.u32(at + 4),
      offset: r.word(at + offsetAt),
      size: r.word(at + sizeAt),
      link: r.u32(at + linkAt),
      info: r.u32(at + infoAt),
      entsize: r.word(at + entsizeAt),
    });
  }
  return sections;
}

/** The string table a section links to (sh_link), or an empty one when the link is not a SHT_STRTAB. */
function linkedStrings(bytes: Uint8Array, sections: readonly Section[], section: Section): StringTable {
  const linked = sections[section.link];
  if (section.link === 0 || linked === undefined || linked.type !== SHT_STRTAB) return EMPTY_STRINGS;
  return new StringTable(sectionBytes(bytes, linked));
}

/** Entry size of a table section: sh_entsize when sane, else the ABI size (0 means "not given"). */
function entrySize(section: Section, abiSize: number): number | undefined {
  if (section.entsize === 0) return abiSize;
  if (section.entsize < abiSize || section.entsize > 1024) return undefined;
  return section.entsize;
}

function readDynamicEntries(
  bytes: Uint8Array,
  r: FieldReader,
  sections: readonly Section[],
  dynamic: Section,
): { needed: string[]; soname?: string } {
  const strings = linkedStrings(bytes, sections, dynamic);
  const data = sectionBytes(bytes, dynamic);
  const size = entrySize(dynamic, LAYOUT[r.elfClass].dynSize);
  const needed: string[] = [];
  let soname: string | undefined;
  if (size === undefined) return { needed };
  const d = r.over(data);
  const valueAt = r.elfClass === 64 ? 8 : 4;
  for (let at = 0; at + size <= data.length; at += size) {
    const tag = d.word(at);
    if (tag === DT_NULL) break;
    if (tag !== DT_NEEDED && tag !== DT_SONAME) continue;
    const name = strings.at(d.word(at + valueAt));
    if (name === undefined || name === '') continue;
    if (tag === DT_NEEDED) needed.push(name);
    else soname ??= name;
  }
  return soname === undefined ? { needed } : { needed, soname };
}

interface VersionNeed {
  version: string;
  library: string | undefined;
}

/**
 * Version index → (version name, library) from .gnu.version_r. Walks sh_info Verneed entries
 * and each one's vn_cnt Vernaux entries by their relative next offsets; stops on a zero next, on
 * an entry that does not fit, and after as many steps as 16-byte entries fit in the section.
 */
function readVersionNeeds(
  bytes: Uint8Array,
  r: FieldReader,
  sections: readonly Section[],
  verneed: Section,
): Map<number, VersionNeed> {
  const needs = new Map<number, VersionNeed>();
  const strings = linkedStrings(bytes, sections, verneed);
  const data = sectionBytes(bytes, verneed);
  const v = r.over(data);
  // Genuine entries never overlap, so a valid table has at most this many of them in total.
  let budget = Math.floor(data.length / VERNEED_SIZE);
  let at = 0;
  for (let i = 0; i < verneed.info && budget > 0; i++) {
    if (!fits(at, VERNEED_SIZE, data.length)) break;
    budget -= 1;
    const count = v.u16(at + 2);
    const library = strings.at(v.u32(at + 4));
    const auxOffset = v.u32(at + 8);
    const next = v.u32(at + 12);
    let aux = at + auxOffset;
    for (let j = 0; j < count && budget > 0; j++) {
      if (!fits(aux, VERNAUX_SIZE, data.length)) break;
      budget -= 1;
      const index = v.u16(aux + 6) & ~VERSYM_HIDDEN;
      const version = strings.at(v.u32(aux + 8));
      if (version !== undefined && version !== '' && index > VER_NDX_GLOBAL && !needs.has(index)) {
        needs.set(index, { version, library: library === '' ? undefined : library });
      }
      const auxNext = v.u32(aux + 12);
      if (auxNext === 0) break;
      aux += auxNext;
    }
    if (next === 0) break;
    at += next;
  }
  return needs;
}

function readImports(bytes: Uint8Array, r: FieldReader, sections: readonly Section[], dynsym: Section): Import[] {
  const size = entrySize(dynsym, LAYOUT[r.elfClass].symSize);
  if (size === undefined) return [];
  const strings = linkedStrings(bytes, sections, dynsym);
  const data = sectionBytes(bytes, dynsym);
  const s = r.over(data);

  // .gnu.version holds one 16-bit version index per .dynsym entry.
  const versym = sections.find((sec) => sec.type === SHT_GNU_VERSYM);
  const versions = versym === undefined ? new Uint8Array(0) : sectionBytes(bytes, versym);
  const vs = r.over(versions);
  const verneed = sections.find((sec) => sec.type === SHT_GNU_VERNEED);
  const needs =
    verneed === undefined || versions.length === 0
      ? new Map<number, VersionNeed>()
      : readVersionNeeds(bytes, r, sections, verneed);

  // Elf32_Sym: name, value, size, info, other, shndx. Elf64_Sym: name, info, other, shndx, value, size.
  const infoAt = r.elfClass === 64 ? 4 : 12;
  const shndxAt = r.elfClass === 64 ? 6 : 14;
  const imports: Import[] = [];
  const count = Math.floor(data.length / size);
  // Symbol 0 is the reserved null symbol.
  for (let i = 1; i < count; i++) {
    const at = i * size;
    if (s.u16(at + shndxAt) !== SHN_UNDEF) continue;
    const bind = s.u8(at + infoAt) >> 4;
    if (bind === STB_LOCAL) continue;
    const name = strings.at(s.u32(at));
    if (name === undefined || name === '') continue;
    const weak = bind === STB_WEAK;
    const need = fits(i * 2, 2, versions.length) ? needs.get(vs.u16(i * 2) & ~VERSYM_HIDDEN) : undefined;
    if (need === undefined) imports.push({ name, weak });
    else if (need.library === undefined) imports.push({ name, version: need.version, weak });
    else imports.push({ name, version: need.version, library: need.library, weak });
  }
  return imports;
}

interface DynamicSections {
  r: FieldReader;
  elfClass: ElfClass;
  sections: Section[];
  dynamic: Section;
}

/** The section headers of an executable or shared object with a dynamic section; undefined for anything else. */
function dynamicSections(bytes: Uint8Array): DynamicSections | undefined {
  if (bytes.length < 6 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46)
    return undefined;
  const classByte = bytes[4];
  const dataByte = bytes[5];
  if ((classByte !== 1 && classByte !== 2) || (dataByte !== 1 && dataByte !== 2)) return undefined;
  const elfClass: ElfClass = classByte === 1 ? 32 : 64;
  if (bytes.length < LAYOUT[elfClass].headerSize) return undefined;
  const r = new FieldReader(bytes, dataByte === 1, elfClass);

  const type = r.u16(16);
  if (type !== ET_EXEC && type !== ET_DYN) return undefined;
  const sections = readSections(bytes, r);
  if (sections === undefined) return undefined;
  const dynamic = sections.find((s) => s.type === SHT_DYNAMIC);
  if (dynamic === undefined) return undefined;
  return { r, elfClass, sections, dynamic };
}

/** undefined for anything that is not an ELF with a dynamic section (ET_REL, static, not ELF, damaged). */
export function parseDynamic(bytes: Uint8Array): DynamicInfo | undefined {
  const found = dynamicSections(bytes);
  if (found === undefined) return undefined;
  const { r, elfClass, sections, dynamic } = found;
  const { needed, soname } = readDynamicEntries(bytes, r, sections, dynamic);
  const dynsym = sections.find((s) => s.type === SHT_DYNSYM);
  const imports = dynsym === undefined ? [] : readImports(bytes, r, sections, dynsym);
  return soname === undefined ? { needed, imports, elfClass } : { needed, soname, imports, elfClass };
}

/** What a program or library needs and is, without its imports: all verify keeps of a stranger's ELF file. */
export type NeededLibraries = Pick<DynamicInfo, 'needed' | 'soname'>;

/** parseDynamic's DT_NEEDED and DT_SONAME only, without reading the symbol tables. */
export function parseNeeded(bytes: Uint8Array): NeededLibraries | undefined {
  const found = dynamicSections(bytes);
  return found === undefined ? undefined : readDynamicEntries(bytes, found.r, found.sections, found.dynamic);
}

/**
 * Reads a file (whole; callers pass only ELF files of a package, host programs and plugins of a
 * few MB) and parses it. Throws KpkgError only when the file cannot be read.
 */
export function readDynamicFile(path: string): Promise<DynamicInfo | undefined> {
  return withRegularFile(path, 'dynamic section', async (file) => parseDynamic(await file.readFile()));
}
