/**
 * The layer rules of kpkg's production code (LAYERS in src/testing/layers.ts, docs/architecture.md): data flows one way, tree → kernel
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
import { layerViolations } from './testing/layers.js';

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
