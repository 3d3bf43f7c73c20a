/**
 * Debian relation fields (deb-control(5), "Declaring relationships between packages"): Depends and
 * its kin, `a (>= 1) | b:any, c`. kpkg's one parser and printer of them, and the algebra that
 * simplifies a Depends list as dpkg-shlibdeps does (Dpkg::Deps).
 */
import type { Dependency, PackageRelation, RelationOp } from '../package/model.js';
import { compareDebianVersions } from './version.js';

/** An operator as written: `<` and `>` are deprecated spellings of `<=` and `>=` (deb-control(5)). */
export type WrittenOperator = RelationOp | '<' | '>';

/** One alternative: `name[:arch] [(op version)]`. */
export interface Relation {
  /** As written: Dpkg::Deps accepts upper case, Debian Policy 5.6.1 does not. */
  readonly name: string;
  /** The architecture qualifier: `any`, `native` or an architecture. */
  readonly arch?: string | undefined;
  readonly version?: { readonly op: WrittenOperator; readonly version: string } | undefined;
}

/** One clause: its `|` alternatives, or text that is not `name[:arch] [(op version)]` alternatives, kept as it is. */
export type RelationClause =
  | { readonly kind: 'alternatives'; readonly alternatives: readonly Relation[] }
  | { readonly kind: 'unparsed'; readonly text: string };

// ---------------------------------------------------------------------------------------------
// Parsing and printing.

const RELATION =
  /^([A-Za-z0-9][A-Za-z0-9+.-]*)(?::([A-Za-z0-9-]+))?\s*(?:\(\s*(<<|<=|>=|>>|=|<|>)\s*([^\s()]+)\s*\))?$/;

/** What an operator means: the deprecated `<` and `>` are `<=` and `>=`. */
export function meaningOf(op: WrittenOperator): RelationOp {
  if (op === '<') return '<=';
  if (op === '>') return '>=';
  return op;
}

/**
 * `name[:arch] [(op version)]`, blanks around it allowed; undefined for anything else, such as an
 * architecture list (`[amd64]`) or a build profile (`<!nocheck>`).
 */
export function parseRelation(text: string): Relation | undefined {
  const m = RELATION.exec(text.trim());
  if (m === null) return undefined;
  const [, name = '', arch, op, version] = m;
  return {
    name,
    arch,
    version: op === undefined || version === undefined ? undefined : { op: op as WrittenOperator, version },
  };
}

/** The `,`-separated clauses of a field that are not blank, as written. */
function relationClauses(field: string): string[] {
  return field.split(',').filter((clause) => clause.trim() !== '');
}

/** The `|`-separated alternatives of a clause, as written. */
function clauseAlternatives(clause: string): string[] {
  return clause.split('|');
}

export function parseRelationClause(clause: string): RelationClause {
  const alternatives = clauseAlternatives(clause).map(parseRelation);
  if (alternatives.every((a): a is Relation => a !== undefined)) return { kind: 'alternatives', alternatives };
  return { kind: 'unparsed', text: clause.trim().replace(/\s+/g, ' ') };
}

/** `name` or `name:arch`: the name a relation is compared by. */
function qualifiedName(relation: Relation): string {
  return relation.arch === undefined ? relation.name : `${relation.name}:${relation.arch}`;
}

/** `name[:arch] (op version)`, one blank before the parenthesis and one inside it; `<=` and `>=` for `<` and `>`. */
export function formatRelation(relation: Relation): string {
  const name = qualifiedName(relation);
  return relation.version === undefined
    ? name
    : `${name} (${meaningOf(relation.version.op)} ${relation.version.version})`;
}

export function formatRelationClause(clause: RelationClause): string {
  return clause.kind === 'unparsed' ? clause.text : clause.alternatives.map(formatRelation).join(' | ');
}

/**
 * The package name an alternative starts with, whatever follows it: a version, an architecture
 * qualifier or list, a build profile, or text parseRelation refuses.
 */
function leadingName(alternative: string): string {
  return alternative.trim().split(/[\s(:[<]/)[0] ?? '';
}

/** Package names per clause, nothing else: "a (>= 1) | b:any, c [amd64]" → [['a', 'b'], ['c']]. */
export function relationNames(field: string | undefined): string[][] {
  if (field === undefined) return [];
  return relationClauses(field)
    .map((clause) =>
      clauseAlternatives(clause)
        .map(leadingName)
        .filter((name) => name !== ''),
    )
    .filter((alternatives) => alternatives.length > 0);
}

/** The model's relation, or undefined for upper case or a deprecated operator. */
function modelRelation(relation: Relation): PackageRelation | undefined {
  const name = qualifiedName(relation);
  if (/[A-Z]/.test(name)) return undefined;
  const version = relation.version;
  if (version === undefined) return { name };
  if (version.op === '<' || version.op === '>') return undefined;
  return { name, version: { op: version.op, version: version.version } };
}

function toPackageRelation(alternative: string): PackageRelation {
  const relation = parseRelation(alternative);
  const model = relation === undefined ? undefined : modelRelation(relation);
  if (model === undefined) throw new Error(`internal: not a Debian relation: '${alternative}'`);
  return model;
}

/**
 * A clause of a Depends kpkg writes, as the package model's dependency: "libc6 (>= 2.34) | libc6-udeb"
 * → its alternatives, a single relation when there is one. Anything but lower-case
 * `name[:arch] [(op version)]` alternatives (Debian Policy 5.6.1) without the deprecated `<` and `>`
 * is a kpkg bug and throws: mergeDepends writes neither.
 */
export function parseDependency(clause: string): Dependency {
  const alternatives = clauseAlternatives(clause).map(toPackageRelation);
  const [first] = alternatives;
  return alternatives.length === 1 && first !== undefined ? first : alternatives;
}

// ---------------------------------------------------------------------------------------------
// Implication and order (Dpkg::Deps).

/** Whether every version that satisfies `p` satisfies `q` (Dpkg::Deps::Simple implies). */
function relationImplies(p: Relation, q: Relation): boolean {
  if (qualifiedName(p) !== qualifiedName(q)) return false;
  if (q.version === undefined) return true;
  if (p.version === undefined) return false;
  const c = compareDebianVersions(p.version.version, q.version.version);
  const op = meaningOf(p.version.op);
  switch (meaningOf(q.version.op)) {
    case '>=':
      return (op === '>=' || op === '>>' || op === '=') && c >= 0;
    case '>>':
      return (op === '>>' && c >= 0) || ((op === '>=' || op === '=') && c > 0);
    case '<=':
      return (op === '<=' || op === '<<' || op === '=') && c <= 0;
    case '<<':
      return (op === '<<' && c <= 0) || ((op === '<=' || op === '=') && c < 0);
    case '=':
      return op === '=' && c === 0;
  }
}

/** Whether clause `p` implies clause `q`: each alternative of `p` implies one of `q`; unparsed text only itself. */
function clauseImplies(p: RelationClause, q: RelationClause): boolean {
  if (p.kind === 'unparsed' || q.kind === 'unparsed')
    return p.kind === 'unparsed' && q.kind === 'unparsed' && p.text === q.text;
  return p.alternatives.every((a) => q.alternatives.some((b) => relationImplies(a, b)));
}

const OPERATOR_ORDER: Record<RelationOp | 'none', number> = { none: 0, '>=': 1, '>>': 2, '=': 3, '<<': 4, '<=': 5 };

interface SortKey {
  readonly name: string;
  readonly op: number;
  readonly version: string;
}

function sortKeys(clause: RelationClause): SortKey[] {
  if (clause.kind === 'unparsed') return [{ name: clause.text, op: 0, version: '' }];
  return clause.alternatives.map((a) => ({
    name: qualifiedName(a),
    op: OPERATOR_ORDER[a.version === undefined ? 'none' : meaningOf(a.version.op)],
    version: a.version?.version ?? '',
  }));
}

/** Dpkg::Deps::deps_compare: package name, then operator (none, >=, >>, =, <<, <=), then the version as text. */
function compareClauses(a: RelationClause, b: RelationClause): number {
  const as = sortKeys(a);
  const bs = sortKeys(b);
  for (let i = 0; ; i++) {
    const x = as[i];
    const y = bs[i];
    if (x === undefined || y === undefined) return x === undefined ? (y === undefined ? 0 : -1) : 1;
    if (x.name !== y.name) return x.name < y.name ? -1 : 1;
    if (x.op !== y.op) return x.op - y.op;
    if (x.version !== y.version) return x.version < y.version ? -1 : 1;
  }
}

/** The clauses of `fields`, each once (compared as printed), in the order they come. */
function distinctClauses(fields: readonly string[]): RelationClause[] {
  const parsed: RelationClause[] = [];
  const printed = new Set<string>();
  for (const field of fields) {
    for (const clause of relationClauses(field).map(parseRelationClause)) {
      const text = formatRelationClause(clause);
      if (printed.has(text)) continue;
      printed.add(text);
      parsed.push(clause);
    }
  }
  return parsed;
}

/**
 * Depends clauses (each may hold `|` alternatives) made into the list a control file holds: duplicates
 * and clauses another one implies dropped — `libc6 (>= 2.34)` goes when `libc6 (>= 2.36)` or
 * `libc6 (>> 2.36)` is there, a bare `libc6` when any versioned one is, as dpkg-gencontrol's
 * simplification does — and sorted as dpkg-shlibdeps sorts its output (by package name).
 */
export function mergeDepends(fields: readonly string[]): string[] {
  const clauses = distinctClauses(fields);
  return clauses
    .filter((_, i) => !impliedByAnother(clauses, i))
    .sort(compareClauses)
    .map(formatRelationClause);
}

/** Whether another clause implies `clauses[i]`; of two that imply each other, the first one stays. */
function impliedByAnother(clauses: readonly RelationClause[], i: number): boolean {
  const q = clauses[i];
  if (q === undefined) return false;
  return clauses.some((p, j) => j !== i && clauseImplies(p, q) && (!clauseImplies(q, p) || j < i));
}
