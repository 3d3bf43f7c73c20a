/**
 * The layer rules of kpkg's production code (docs/architecture.md): data flows one way, tree → kernel
 * parts → package description → writer → verified artifact → proof on the target, and a folder may
 * import only its own modules and those of the folders in layers below it. No module may close a
 * circle of run-time imports, and production code never imports the test helpers in src/testing/.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkoutSourceRoot,
  importsOf,
  productionImportGraph,
  runtimeCircles,
  type ImportEdge,
} from './testing/import-graph.js';

/**
 * From the bottom up; the units of one layer do not import each other. A unit is a top folder of src/,
 * or a folder below one ('smoke/install'), which then is a unit of its own, apart from its parent.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['util'],
  ['archive', 'elf', 'package', 'cache'],
  ['arch', 'debian'],
  ['apt'],
  ['kernel'],
  ['sysroot'],
  ['layouts', 'formats'],
  ['reader'],
  ['smoke/install'],
  ['families'],
  ['verify'],
  ['smoke'],
  ['doctor'],
  ['pipeline'],
  ['cli'],
];

const UNITS = LAYERS.flat().sort((a, b) => b.length - a.length);

/** The unit a module belongs to: the longest unit its path starts with, else its top folder. */
function unitOf(module: string): string {
  return UNITS.find((unit) => module.startsWith(`${unit}/`)) ?? module.split('/')[0] ?? module;
}

function layerOf(unit: string): number {
  return LAYERS.findIndex((layer) => layer.includes(unit));
}

/** Imports that break the rules, one line each: 'kernel/x.ts → doctor/y.ts (doctor is above kernel)'. */
export function layerViolations(graph: ReadonlyMap<string, readonly ImportEdge[]>): string[] {
  const violations: string[] = [];
  for (const [module, edges] of graph) {
    const from = unitOf(module);
    for (const edge of edges) {
      const to = unitOf(edge.to);
      if (to === from) continue;
      const [fromLayer, toLayer] = [layerOf(from), layerOf(to)];
      if (to === 'testing') violations.push(`${module} → ${edge.to} (production code imports a test helper)`);
      else if (fromLayer < 0) violations.push(`${module}: '${from}' is in no layer of LAYERS`);
      else if (toLayer < 0) violations.push(`${module} → ${edge.to}: '${to}' is in no layer of LAYERS`);
      else if (toLayer >= fromLayer)
        violations.push(`${module} → ${edge.to} (${to} is ${toLayer === fromLayer ? 'beside' : 'above'} ${from})`);
    }
  }
  return violations;
}

test('every production import goes down the layers', () => {
  assert.deepEqual(layerViolations(productionImportGraph(checkoutSourceRoot(import.meta.url))), []);
});

test('no circle of run-time imports', () => {
  assert.deepEqual(runtimeCircles(productionImportGraph(checkoutSourceRoot(import.meta.url))), []);
});

test('the rules catch an import up, beside, into the test helpers, out of a sub-unit into its parent, and a circle', () => {
  const edge = (to: string, typeOnly = false): ImportEdge => ({ to, typeOnly });
  const graph = new Map<string, ImportEdge[]>([
    ['kernel/tree.ts', [edge('doctor/preflight.ts'), edge('util/fs.ts')]],
    ['layouts/x.ts', [edge('formats/y.ts', true)]],
    ['cli/main.ts', [edge('testing/run-kpkg.ts')]],
    ['smoke/install/deb.ts', [edge('smoke/rootfs.ts'), edge('reader/open.ts')]],
    ['util/a.ts', [edge('util/b.ts')]],
    ['util/b.ts', [edge('util/a.ts')]],
    ['util/c.ts', [edge('util/d.ts', true)]],
    ['util/d.ts', [edge('util/c.ts')]],
  ]);
  assert.deepEqual(layerViolations(graph), [
    'kernel/tree.ts → doctor/preflight.ts (doctor is above kernel)',
    'layouts/x.ts → formats/y.ts (formats is beside layouts)',
    'cli/main.ts → testing/run-kpkg.ts (production code imports a test helper)',
    'smoke/install/deb.ts → smoke/rootfs.ts (smoke is above smoke/install)',
  ]);
  assert.deepEqual(runtimeCircles(graph), [['util/a.ts', 'util/b.ts']]);
});

test('imports of types only are told from imports evaluated at run time', () => {
  const text = [
    "import type { X } from './b.js';",
    "import { type Y } from '../c.js';",
    "import { Z, type W } from './d.js';",
    "export type { V } from './e.js';",
    "import './f.js';",
    "import { readFile } from 'node:fs';",
  ].join('\n');
  assert.deepEqual(importsOf('x/a.ts', text), [
    { to: 'x/b.ts', typeOnly: true },
    { to: 'c.ts', typeOnly: true },
    { to: 'x/d.ts', typeOnly: false },
    { to: 'x/e.ts', typeOnly: true },
    { to: 'x/f.ts', typeOnly: false },
  ]);
});
