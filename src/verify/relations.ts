/** Run-time relations as verify reads them: package names per clause, versions and architecture qualifiers left out. */

/** "libc6 (>= 2.34), libssl3 | libssl3t64" → [['libc6'], ['libssl3', 'libssl3t64']]. */
export function debianRelationNames(field: string | undefined): string[][] {
  if (field === undefined) return [];
  return field
    .split(',')
    .map((clause) => clause.split('|').map((alt) => alt.trim().split(/[\s(:[<]/)[0] ?? '').filter((name) => name !== ''))
    .filter((alternatives) => alternatives.length > 0);
}

/** pacman's "name>=version" (and <, =, >): the name. */
export function pacmanRelationName(relation: string): string {
  return relation.split(/[<>=]/)[0]?.trim() ?? relation;
}
