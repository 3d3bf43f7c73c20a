import { readRuntimeNeeds, type RuntimeNeeds } from '../../elf/needs.js';
import type { HeadersEntry } from './manifest.js';

/**
 * The needs step: what the headers tree's programs need from shared libraries on the target, read
 * from the files that ship (the rebuilt programs where there are any). Only the files the scan found
 * linked (ELF executables and shared objects) are read: objects and headers need nothing.
 */
export function headersRuntimeNeeds(
  entries: readonly HeadersEntry[],
  linked: ReadonlySet<string>,
): Promise<RuntimeNeeds> {
  return readRuntimeNeeds(entries.filter((e) => e.kind === 'file' && linked.has(e.path)));
}
