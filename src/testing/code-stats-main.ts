/**
 * tools/code-stats: figures of the source tree's shape, for a refactor's before → after — circles of
 * run-time imports, the longest functions, production modules without a test beside them.
 *   node dist/testing/code-stats-main.js [--longest N]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import {
  checkoutSourceRoot,
  isProductionModule,
  productionImportGraph,
  runtimeCircles,
  sourceFiles,
} from './import-graph.js';

interface FunctionLength {
  readonly where: string;
  readonly name: string;
  readonly lines: number;
}

function functionName(node: ts.Node): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name !== undefined && ts.isIdentifier(named.name)) return named.name.text;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return '(anonymous)';
}

/** Every function, method and arrow function of one module with its length in lines. */
function functionLengths(module: string, text: string): FunctionLength[] {
  const source = ts.createSourceFile(module, text, ts.ScriptTarget.Latest, true);
  const found: FunctionLength[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isArrowFunction(node) ||
      ts.isFunctionExpression(node)
    ) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ where: `${module}:${start + 1}`, name: functionName(node), lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** x.ts counts as tested when a file named x.test.ts or x.<kind>.test.ts stands beside it. */
function untestedModules(files: readonly string[]): string[] {
  const tests = files.filter((f) => f.endsWith('.test.ts'));
  return files.filter(isProductionModule).filter((module) => {
    const stem = module.slice(0, -'.ts'.length);
    return !tests.some(
      (test) =>
        test === `${stem}.test.ts` ||
        new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.[a-z]+\\.test\\.ts$`).test(test),
    );
  });
}

const { values } = parseArgs({ options: { longest: { type: 'string', default: '10' } } });
const root = checkoutSourceRoot(import.meta.url);
const files = sourceFiles(root);
const production = files.filter(isProductionModule);
const graph = productionImportGraph(root);
const circles = runtimeCircles(graph);
const lengths = production
  .flatMap((m) => functionLengths(m, readFileSync(join(root, m), 'utf8')))
  .sort((a, b) => b.lines - a.lines);
const untested = untestedModules(files);
const lines = production.reduce((sum, m) => sum + readFileSync(join(root, m), 'utf8').split('\n').length - 1, 0);

const out: string[] = [
  `production modules: ${production.length} (${lines} lines)`,
  `circles of run-time imports: ${circles.length}${circles.map((c) => `\n  ${c.join(' ↔ ')}`).join('')}`,
  `longest functions:${lengths
    .slice(0, Number(values.longest))
    .map((f) => `\n  ${f.lines} lines  ${f.name}  ${f.where}`)
    .join('')}`,
  `functions over 60 lines: ${lengths.filter((f) => f.lines > 60).length}`,
  `production modules without a test beside them: ${untested.length} of ${production.length}`,
];
process.stdout.write(`${out.join('\n')}\n`);
