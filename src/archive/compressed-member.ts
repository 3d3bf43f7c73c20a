/**
 * A tar member compressed into a file — the data.tar.xz of a .deb, a whole pacman package or
 * tarball — made once for given bytes and kept in a MemberStore (kpkg's build cache) for the next
 * run that would make the same bytes. The key is the member's exact uncompressed bytes, named
 * without reading them (entriesKey, which rpm's payload uses too): every entry's header fields,
 * each file's state on disk (util/file-state.ts: a changed file has another), the digest of
 * in-memory contents, and the compressor's program version, kind and level.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileState, type FileStates } from '../util/file-state.js';
import { IO_PARALLELISM, mapLimit } from '../util/pool.js';
import { compressor, compressorIdentity, type CompressionKind } from './compress.js';
import { tarStream, type TarEntry, type TarFileContent } from './tar.js';
import { writeXzTarMember, XZ_MEMBER_LAYOUT } from './xz-blocks.js';

/** Where compressed members are kept: `make` fills the directory it is given when the key is new. */
export interface MemberStore {
  member<Meta>(key: string, make: (dir: string) => Promise<Meta>): Promise<{ dir: string; meta: Meta }>;
  /** The run's file states (asked once per file for every member that has it). */
  states?: FileStates | undefined;
}

export interface CompressedMember {
  /** The compressed member on disk (in the store, or at the temporary path given). */
  path: string;
  size: number;
  /** Each regular file's digest (when asked for), by entry name. */
  digests: [string, string][];
}

export interface CompressMemberOptions {
  compression: CompressionKind;
  level?: number | undefined;
  digest?: 'md5' | 'sha256' | undefined;
  store?: MemberStore | undefined;
}

/** One archive entry as a key sees it: the header fields its bytes are made of, and a file's content. */
export interface KeyedEntry {
  fields: readonly (string | number)[];
  content?: TarFileContent | undefined;
}

/**
 * The sha256 that names an archive's exact bytes without reading its files: `label` (the archive's
 * kind and compressor), every entry's fields, and each file's state on disk (util/file-state.ts;
 * `store.states` asks once per file for the run) or the digest of its in-memory content.
 */
export async function entriesKey(label: string, entries: readonly KeyedEntry[], store?: MemberStore): Promise<string> {
  const memo = store?.states;
  const state = (path: string): Promise<string> => (memo === undefined ? fileState(path) : memo.state(path));
  const hash = createHash('sha256');
  hash.update(`${label}\0`);
  const states = await mapLimit(entries, IO_PARALLELISM, async ({ content }) => {
    if (content === undefined) return '';
    return content.from === 'disk'
      ? `${content.path}\0${await state(content.path)}`
      : createHash('sha256').update(content.data).digest('hex');
  });
  entries.forEach((e, i) => hash.update(`${e.fields.join(' ')}\0${states[i] ?? ''}\0`));
  return hash.digest('hex');
}

function tarKeyedEntry(e: TarEntry): KeyedEntry {
  if (e.type === 'symlink') return { fields: [e.type, e.name, e.target, e.mtime] };
  if (e.type === 'dir') return { fields: [e.type, e.name, e.mode, e.mtime] };
  return { fields: [e.type, e.name, e.mode, e.mtime, e.size], content: e.content };
}

async function memberKey(entries: readonly TarEntry[], options: CompressMemberOptions): Promise<string> {
  const layout = options.compression === 'xz' ? XZ_MEMBER_LAYOUT : '';
  const label = `tar member 2\0${layout}\0${await compressorIdentity(options.compression)}\0${options.compression} ${String(options.level ?? 'default')}\0${options.digest ?? ''}`;
  return entriesKey(label, entries.map(tarKeyedEntry), options.store);
}

/** Writes the tar of `entries` compressed to `file`; the digests of its files on the same pass. */
async function writeMember(
  entries: readonly TarEntry[],
  file: string,
  options: CompressMemberOptions,
): Promise<[string, string][]> {
  const digests: [string, string][] = [];
  const digest =
    options.digest === undefined
      ? undefined
      : {
          algorithm: options.digest,
          onDigest: (entry: TarEntry & { type: 'file' }, hex: string) => digests.push([entry.name, hex]),
        };
  const tar = digest === undefined ? {} : { digest };
  // xz block by block: a member that differs from a stored one in a few entries compresses only their blocks.
  if (options.compression === 'xz')
    await writeXzTarMember(entries, file, { level: options.level, store: options.store, tar });
  else await pipeline(tarStream(entries, tar), compressor(options.compression, options.level), createWriteStream(file));
  return digests;
}

/** The compressed tar member of `entries`: from the store when it has these bytes, else written (to the store, or to `scratchPath`). */
export async function compressedTarMember(
  entries: readonly TarEntry[],
  scratchPath: string,
  options: CompressMemberOptions,
): Promise<CompressedMember> {
  if (options.store === undefined) {
    const digests = await writeMember(entries, scratchPath, options);
    return { path: scratchPath, size: (await stat(scratchPath)).size, digests };
  }
  const { dir, meta } = await options.store.member(await memberKey(entries, options), async (d) => ({
    digests: await writeMember(entries, join(d, 'member'), options),
  }));
  const path = join(dir, 'member');
  return { path, size: (await stat(path)).size, digests: meta.digests };
}
