import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KernelPart, KernelParts } from '../kernel/parts.js';
import { partsToStage, stagedParts, type StagedPart } from './stage-parts.js';

const PARTS: Record<string, readonly KernelPart[]> = {
  image: ['image'],
  headers: ['headers'],
  dbg: ['debug'],
  everything: ['uapi', 'image', 'headers'],
};
const layout = { partsOf: (kind: string): readonly KernelPart[] => PARTS[kind] ?? [] };

test('only the parts the chosen packages are made of are staged, the headers first', () => {
  assert.deepEqual(partsToStage(layout, ['image', 'headers']), ['headers', 'image']);
  assert.deepEqual(partsToStage(layout, ['dbg']), ['debug']);
  assert.deepEqual(partsToStage(layout, ['dbg', 'everything']), ['headers', 'image', 'uapi', 'debug']);
});

test("a package's parts are the tree files and the staged parts it wants, nothing more", async () => {
  const treeFile = { source: '/tree/file', size: 1 };
  const base = { systemMap: treeFile, config: treeFile, vmlinux: treeFile };
  const staged = (parts: Partial<KernelParts>): Promise<StagedPart> =>
    Promise.resolve({ parts, dispose: () => Promise.resolve() });
  const staging = new Map<KernelPart, Promise<StagedPart>>([
    ['uapi', staged({ uapi: [] })],
    ['debug', staged({ debug: { vmlinux: treeFile, modules: [] } })],
  ]);
  const parts = await stagedParts(base, staging, ['uapi']);
  assert.deepEqual(parts, { ...base, uapi: [] });
});
