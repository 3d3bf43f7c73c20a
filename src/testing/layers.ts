/**
 * The layers of kpkg's production code, from the bottom up (docs/architecture.md): a unit may import
 * its own modules and those of the units in layers below it. src/layers.test.ts holds the code to
 * them, src/docs.test.ts the documentation.
 */
import type { ImportEdge } from './import-graph.js';

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
