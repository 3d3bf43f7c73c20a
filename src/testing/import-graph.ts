/**
 * The import graph of kpkg's production code, read from the TypeScript sources: which module imports
 * which, at run time or for types only. Used by the layering test (src/layers.test.ts) and by
 * tools/code-stats.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export interface ImportEdge {
  /** The imported module, relative to the source root, e.g. 'kernel/tree.ts'. */
  readonly to: string;
  /** Only types are taken: erased at run time, so it can close no circle of module evaluation. */
  readonly typeOnly: boolean;
}

/** Test files and test helpers: not production code. */
export function isProductionModule(path: string): boolean {
  return path.endsWith('.ts') && !path.endsWith('.test.ts') && !path.startsWith('testing/');
}

/** Every .ts file below `root`, as paths relative to it with '/' separators. */
export function sourceFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return walk(path);
      return entry.name.endsWith('.ts') ? [relative(root, path).split('\\').join('/')] : [];
    });
  return walk(root).sort();
}

function importIsTypeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const clause = node.exportClause;
    return (
      clause !== undefined &&
      ts.isNamedExports(clause) &&
      clause.elements.length > 0 &&
      clause.elements.every((e) => e.isTypeOnly)
    );
  }
  const clause = node.importClause;
  if (clause === undefined) return false; // import 'x': evaluated for its effects
  if (clause.phaseModifier === ts.SyntaxKind.TypeKeyword) return true;
  if (clause.name !== undefined) return false;
  const bindings = clause.namedBindings;
  return (
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

/** The relative imports and re-exports of one module's text (`from` is its path relative to the root). */
export function importsOf(from: string, text: string): ImportEdge[] {
  const source = ts.createSourceFile(from, text, ts.ScriptTarget.Latest, false);
  const edges: ImportEdge[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const specifier = statement.moduleSpecifier;
    if (specifier === undefined || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
    const to = posix.normalize(posix.join(posix.dirname(from), specifier.text)).replace(/\.js$/, '.ts');
    edges.push({ to, typeOnly: importIsTypeOnly(statement) });
  }
  return edges;
}

/** module → its imports, for every production module below `root`. */
export function productionImportGraph(root: string): Map<string, ImportEdge[]> {
  const graph = new Map<string, ImportEdge[]>();
  for (const file of sourceFiles(root).filter(isProductionModule)) {
    graph.set(file, importsOf(file, readFileSync(join(root, file), 'utf8')));
  }
  return graph;
}

/**
 * The circles of module evaluation: strongly connected groups of two or more modules over run-time
 * imports (Tarjan's algorithm). Type-only imports are left out: they are erased.
 */
export function runtimeCircles(graph: ReadonlyMap<string, readonly ImportEdge[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (module: string): void => {
    index.set(module, index.size);
    low.set(module, index.get(module) ?? 0);
    stack.push(module);
    onStack.add(module);
    for (const edge of graph.get(module) ?? []) {
      if (edge.typeOnly || !graph.has(edge.to)) continue;
      if (!index.has(edge.to)) {
        visit(edge.to);
        low.set(module, Math.min(low.get(module) ?? 0, low.get(edge.to) ?? 0));
      } else if (onStack.has(edge.to)) {
        low.set(module, Math.min(low.get(module) ?? 0, index.get(edge.to) ?? 0));
      }
    }
    if (low.get(module) !== index.get(module)) return;
    const group: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      group.push(member);
      if (member === module) break;
    }
    if (group.length > 1) circles.push(group.sort());
  };
  for (const module of graph.keys()) if (!index.has(module)) visit(module);
  return circles;
}

/** The src/ folder of the checkout a compiled module (in dist/ or dist-unit/) belongs to: beside the nearest package.json. */
export function checkoutSourceRoot(moduleUrl: string): string {
  for (let dir = dirname(fileURLToPath(moduleUrl)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'src');
  }
  throw new Error(`no package.json above ${moduleUrl}`);
}
