/** Run-time relations as verify reads them: package names, versions left out (Debian's: src/debian/relations.ts). */

/** pacman's "name>=version" (and <, =, >): the name. */
export function pacmanRelationName(relation: string): string {
  return relation.split(/[<>=]/)[0]?.trim() ?? relation;
}
