import type { TarReadEntry } from '../archive/tar.js';
import type { MemberCollector } from './collect.js';

/** Records one tar entry, consuming its body. */
export async function addTarEntry(collector: MemberCollector, entry: TarReadEntry): Promise<void> {
  const type = entry.type;
  const link = type === 'symlink' || type === 'hardlink' ? { link: entry.linkname } : {};
  await collector.add(
    { name: entry.name, type, size: type === 'file' ? entry.size : 0, mode: entry.mode, ...link },
    type === 'file' ? entry.body : undefined,
  );
}

/** Feeds every entry of a tar stream to the collector. */
export async function addTarEntries(collector: MemberCollector, entries: AsyncIterable<TarReadEntry>): Promise<void> {
  for await (const entry of entries) await addTarEntry(collector, entry);
}
