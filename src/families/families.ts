/**
 * The table of families: one row per family kpkg writes (./family.ts says what a row holds). The
 * CLI registers a command per row, smoke picks its installer here, and every row names the
 * reader `kpkg verify` reads its packages with. A new family's parts (layout, writer, installer)
 * meet in its row, with its id in src/package/family.ts; the compiler then asks for every part.
 *
 * The table sits above layouts/, formats/, reader/ and smoke/install/, and below verify/, smoke/,
 * pipeline/ and cli/ (the layers of src/testing/layers.ts).
 */
import { FAMILY_IDS, type FamilyId } from '../package/family.js';
import { debFamily } from './deb.js';
import type { Family } from './family.js';
import { pacmanFamily } from './pacman.js';
import { rpmFamily } from './rpm.js';
import { tarFamily } from './tar.js';

export const FAMILIES: Readonly<Record<FamilyId, Family>> = {
  deb: debFamily,
  rpm: rpmFamily,
  pacman: pacmanFamily,
  tar: tarFamily,
};

/** Every family, in the order of FAMILY_IDS (the order `kpkg --help` lists the commands in). */
export function allFamilies(): Family[] {
  return FAMILY_IDS.map((id) => FAMILIES[id]);
}
