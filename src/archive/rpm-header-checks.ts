/**
 * rpm 4.18's checks of a header as a package file holds it (lib/header.c: hdrblobVerifyRegion,
 * hdrblobVerifyInfo, headerImport; lib/rpmfi.c: indexSane and the file arrays' counts), each
 * failure in rpm's own words. A header that passes has every entry's data inside its store, of its
 * type and count, in index order without overlap, the store covered exactly, and a file list
 * whose arrays agree.
 */
import { RPM_TYPE, RPMTAG } from './rpm-tags.js';

/** One 16-byte index entry of a header. */
export interface IndexEntry {
  tag: number;
  type: number;
  offset: number;
  count: number;
}

/** A header as read: its index entries in file order and its data store. */
export interface HeaderBlob {
  entries: readonly IndexEntry[];
  store: Buffer;
  /** HEADERSIGNATURES for the signature header, HEADERIMMUTABLE for the main header. */
  regionTag: number;
  /** The region must cover the whole header (rpm asks it of the main header of a package file). */
  exactSize: boolean;
}

/** Bytes of one value of each type (typeSizes; -1: a NUL-terminated string) and its alignment (typeAlign). */
const TYPE_SIZE: readonly number[] = [0, 1, 1, 2, 4, 8, -1, 1, -1, -1];
const TYPE_ALIGN: readonly number[] = [1, 1, 1, 2, 4, 8, 1, 1, 1, 1];
/** hdrchkTag: tags below HEADER_I18NTABLE are region tags only. */
const FIRST_DATA_TAG = 100;
/** hdrchkArray: values in one entry, BIN excepted. */
const MAX_ARRAY_COUNT = 0x000fffff;
/** A region's tag is BIN of 16 bytes: a copy of an index entry, the trailer. */
const REGION_TRAILER_SIZE = 16;
/** Old packages name HEADERIMAGE in the signature region's trailer; rpm takes it as HEADERSIGNATURES. */
const HEADERIMAGE = 61;

interface Region {
  /** Index entries and data bytes the region covers. */
  ril: number;
  rdl: number;
}

/** What rpm says is wrong with the header, or undefined when it reads it. */
export function headerProblem(blob: HeaderBlob): string | undefined {
  const region = regionOf(blob);
  if (typeof region === 'string') return region;
  return entryProblem(blob, region) ?? (region === undefined ? undefined : coverageProblem(blob));
}

/** hdrblobVerifyRegion: the region tag first, its trailer inside the store, the region within the header. */
function regionOf({ entries, store, regionTag, exactSize }: HeaderBlob): Region | string | undefined {
  const first = entries[0];
  if (first === undefined) return 'region: no tags';
  if (first.tag !== regionTag) return undefined;
  const described = (e: IndexEntry): string => `tag ${e.tag} type ${e.type} offset ${e.offset} count ${e.count}`;
  if (first.type !== RPM_TYPE.BIN || first.count !== REGION_TRAILER_SIZE) return `region tag: BAD, ${described(first)}`;
  if (first.offset + REGION_TRAILER_SIZE > store.length) return `region offset: BAD, ${described(first)}`;
  const trailerTag = store.readUInt32BE(first.offset);
  const trailer = {
    tag: regionTag === RPMTAG.HEADERSIGNATURES && trailerTag === HEADERIMAGE ? regionTag : trailerTag,
    type: store.readUInt32BE(first.offset + 4),
    offset: -store.readInt32BE(first.offset + 8),
    count: store.readUInt32BE(first.offset + 12),
  };
  if (trailer.tag !== regionTag || trailer.type !== RPM_TYPE.BIN || trailer.count !== REGION_TRAILER_SIZE)
    return `region trailer: BAD, ${described(trailer)}`;
  const il = entries.length;
  const dl = store.length;
  const ril = Math.trunc(trailer.offset / 16);
  const rdl = first.offset + REGION_TRAILER_SIZE;
  if (trailer.offset % 16 !== 0 || ril < 0 || ril > il)
    return `region ${regionTag} size: BAD, ril ${ril} il ${il} rdl ${rdl} dl ${dl}`;
  if (exactSize && (il !== ril || dl !== rdl))
    return `region ${regionTag}: tag number mismatch il ${il} ril ${ril} dl ${dl} rdl ${rdl}`;
  return { ril, rdl };
}

/**
 * dataLength: the bytes an entry's `count` values take from `offset`, or -1 when they do not fit:
 * a STRING is one string, a STRING_ARRAY or I18NSTRING `count` NUL-terminated strings.
 */
export function dataLength(store: Buffer, type: number, offset: number, count: number): number {
  const size = TYPE_SIZE[type] ?? 0;
  if (size >= 0) return offset + size * count > store.length ? -1 : size * count;
  if (type === RPM_TYPE.STRING && count !== 1) return -1;
  let at = offset;
  for (let i = 0; i < count; i++) {
    const nul = at < store.length ? store.indexOf(0, at) : -1;
    if (nul === -1) return -1;
    at = nul + 1;
  }
  return at - offset;
}

/** hdrblobVerifyInfo: each entry's tag, type, count, alignment and data inside the store, after the one before. */
function entryProblem({ entries, store }: HeaderBlob, region: Region | undefined): string | undefined {
  const dl = store.length;
  const skipped = region === undefined ? 0 : 1;
  let end = 0;
  let len = 0;
  for (let i = skipped; i < entries.length; i++) {
    const e = entries[i];
    if (e === undefined) break;
    const bad = `tag[${i - skipped}]: BAD, tag ${e.tag} type ${e.type} offset ${e.offset} count ${e.count}`;
    const align = TYPE_ALIGN[e.type] ?? 1;
    if (
      end > e.offset ||
      e.tag < FIRST_DATA_TAG ||
      e.type < RPM_TYPE.CHAR ||
      e.type > RPM_TYPE.I18NSTRING ||
      e.count < 1 ||
      e.count > dl ||
      e.offset % align !== 0 ||
      e.offset > dl ||
      (e.type !== RPM_TYPE.BIN && e.count > MAX_ARRAY_COUNT)
    )
      return `${bad} len ${len}`;
    len = dataLength(store, e.type, e.offset, e.count);
    end = e.offset + len;
    if (end > dl || len <= 0) return `${bad} len ${len}`;
    // The region trailer is no entry of this loop: no data may overlap it.
    if (region !== undefined && end > region.rdl - REGION_TRAILER_SIZE && e.offset < region.rdl)
      return `${bad} len ${len}`;
  }
  return undefined;
}

/** headerImport: the entries' data, each aligned to its type, and the region trailer fill the store exactly. */
function coverageProblem({ entries, store }: HeaderBlob): string | undefined {
  let covered = 0;
  for (const e of entries.slice(1)) {
    const size = TYPE_SIZE[e.type] ?? 0;
    if (size > 1 && covered % size !== 0) covered += size - (covered % size);
    covered += dataLength(store, e.type, e.offset, e.count);
  }
  return covered + REGION_TRAILER_SIZE === store.length ? undefined : 'hdr load: BAD';
}

/** File arrays rpm reads with one value per file (lib/rpmfi.c, rpmfilesPopulate's _hgfi). */
const PER_FILE_TAGS: readonly [string, number][] = [
  ['FILEMODES', RPMTAG.FILEMODES],
  ['FILEFLAGS', RPMTAG.FILEFLAGS],
  ['FILEVERIFYFLAGS', RPMTAG.FILEVERIFYFLAGS],
  ['FILESIZES', RPMTAG.FILESIZES],
  ['LONGFILESIZES', RPMTAG.LONGFILESIZES],
  ['FILEMTIMES', RPMTAG.FILEMTIMES],
  ['FILERDEVS', RPMTAG.FILERDEVS],
  ['FILEINODES', RPMTAG.FILEINODES],
  ['FILEDEVICES', RPMTAG.FILEDEVICES],
];

/** The main header's file list as rpm takes it: what its entries' counts and DIRINDEXES' values need to agree. */
export interface FileListCounts {
  /** The count of each tag present, by tag. */
  count(tag: number): number | undefined;
  /** DIRINDEXES' values. */
  dirIndexes(): readonly number[];
}

/**
 * indexSane and _hgfi: BASENAMES, DIRNAMES and DIRINDEXES agree (one directory index per base
 * name, each naming a directory there is), and each per-file array has one value per file.
 */
export function fileListProblem(list: FileListCounts): string | undefined {
  const files = list.count(RPMTAG.BASENAMES);
  if (files === undefined) return undefined;
  const dirs = list.count(RPMTAG.DIRNAMES) ?? 0;
  const indexes = list.count(RPMTAG.DIRINDEXES) ?? 0;
  const triplet = `file triplet: BAD, BASENAMES count ${files}, DIRNAMES count ${dirs}, DIRINDEXES count ${indexes}`;
  if (dirs === 0 || indexes !== files) return triplet;
  const dirIndexes = list.dirIndexes();
  const outside = dirIndexes.findIndex((d) => d >= dirs);
  if (outside !== -1) return `${triplet}: index ${outside} names directory ${dirIndexes[outside] ?? ''}`;
  for (const [name, tag] of PER_FILE_TAGS) {
    const found = list.count(tag);
    if (found !== undefined && found !== files)
      return `Wrong number of entries for tag ${name}: ${found} found but ${files} expected.`;
  }
  return undefined;
}
