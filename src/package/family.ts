/**
 * The package families kpkg writes, as its commands name them. Each has one row in
 * src/families/families.ts (layout, writer, smoke installer, verify reader, command); the id sits
 * here, below that table, so that the layers the table is made of can name a family too.
 */
export const FAMILY_IDS = ['deb', 'rpm', 'pacman', 'tar'] as const;

export type FamilyId = (typeof FAMILY_IDS)[number];
