/** Test helper (not used by kpkg itself): package members and read packages written by hand, as the readers give them. */
import type { Member, ReadPackage } from '../reader/model.js';

/** A 0755 directory. */
export const dirMember = (path: string): Member => ({ path, type: 'dir', size: 0, mode: 0o755 });

/** A 0644 file of one byte, its contents not read. */
export const fileMember = (path: string): Member => ({ path, type: 'file', size: 1, mode: 0o644 });

/** A 0644 file whose contents were read (as the readers do for configs, kernel.release, Makefiles). */
export const textMember = (path: string, text: string): Member => ({
  path,
  type: 'file',
  size: text.length,
  mode: 0o644,
  text,
});

/** A symlink to `target`. */
export const linkMember = (path: string, target: string): Member => ({
  path,
  type: 'symlink',
  size: 0,
  mode: 0o777,
  link: target,
});

/** The .deb package `name` holding `members`, with what `fields` add. */
export function debPackage(name: string, members: Member[], fields: Partial<ReadPackage> = {}): ReadPackage {
  return { input: `${name}.deb`, format: 'deb', name, members, ...fields };
}
