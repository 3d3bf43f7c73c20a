import type { BuildCache } from '../../cache/build-cache.js';
import { wordsKey } from '../../cache/fingerprint.js';
import { readElfFile, type ElfReadResult } from '../../elf/elf.js';
import { describeIdentity, identityOf, sameIdentity, type ElfIdentity } from '../../elf/identity.js';
import { IO_PARALLELISM, mapLimit } from '../../util/pool.js';
import type { HeadersEntry } from './manifest.js';

/** What the scan of the headers tree found: which files are ELF, and whose. */
export interface HeadersScan {
  /** The regular files of the tree, in manifest order. */
  files: HeadersEntry[];
  /** ELF executables and shared objects: the files that can need libraries on the target. */
  linked: ReadonlySet<string>;
  /** ELF files whose identity is not the target's. */
  foreign: ReadonlySet<string>;
  /** What reading a file gave, for the gate: kept from this run, or 'not-elf' from the cache, or undefined (read again). */
  readOf: (path: string) => ElfReadResult | undefined;
}

/** What the build cache keeps of a scan (sorted path lists). */
interface ScanMeta {
  linked: string[];
  foreign: string[];
  elf: string[];
}

/**
 * The scan step: which files of the tree are ELF, and which of those are not the target's. Kept in
 * the build cache under the state of every file (their lstat from the manifest walk): a warm run
 * reads only the ELF files again (at the gate), not the thousands of headers. The states the walk
 * found are handed to the cache, so no key computed later in the run takes them again.
 */
export async function scanHeadersTree(
  entries: readonly HeadersEntry[],
  target: ElfIdentity,
  cache: BuildCache,
): Promise<HeadersScan> {
  for (const e of entries) if (e.state !== undefined) cache.states.prime(e.source, e.state);
  const files = entries.filter((e) => e.kind === 'file');
  const reads = new Map<string, ElfReadResult>();
  const scan = (): Promise<ScanMeta> => readIdentities(files, target, reads);
  const keyable = files.every((e) => e.state !== undefined);
  const key = wordsKey([
    'headers scan 1',
    describeIdentity(target),
    ...files.map((e) => `${e.path}\0${e.source}\0${e.state ?? ''}`),
  ]);
  const meta = keyable ? (await cache.entry('headers-scan', key, scan)).meta : await scan();
  const elf = new Set(meta.elf);
  return {
    files,
    linked: new Set(meta.linked),
    foreign: new Set(meta.foreign),
    readOf: (path) => reads.get(path) ?? (elf.has(path) ? undefined : { kind: 'not-elf' }),
  };
}

/** Reads every file's ELF header (each read kept in `reads`) and sorts the ELF files into lists. */
async function readIdentities(
  files: readonly HeadersEntry[],
  target: ElfIdentity,
  reads: Map<string, ElfReadResult>,
): Promise<ScanMeta> {
  const meta: ScanMeta = { linked: [], foreign: [], elf: [] };
  await mapLimit(files, IO_PARALLELISM, async (e) => {
    const r = await readElfFile(e.source);
    reads.set(e.path, r);
    if (r.kind !== 'elf') return;
    meta.elf.push(e.path);
    if (r.elf.type === 'EXEC' || r.elf.type === 'DYN') meta.linked.push(e.path);
    if (!sameIdentity(identityOf(r.elf), target)) meta.foreign.push(e.path);
  });
  for (const list of [meta.linked, meta.foreign, meta.elf]) list.sort();
  return meta;
}
