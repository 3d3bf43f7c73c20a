import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HeadersEntry } from './manifest.js';
import { plannedPrograms, planRebuild } from './plan.js';

function file(path: string, origin: HeadersEntry['origin'] = 'objtree'): HeadersEntry {
  return { path, kind: 'file', source: `/tree/${path}`, mode: 0o755, size: 1, origin };
}

const files = [
  file('include/linux/kernel.h'),
  file('scripts/basic/fixdep'),
  file('scripts/gcc-plugins/stackleak_plugin.so'),
  file('tools/objtool/objtool'),
  file('scripts/prebuilt-blob', 'srctree'),
  file('scripts/mod/modpost'),
];

test('every foreign file the build made is planned, by the build that made it', () => {
  const foreign = new Set([
    'scripts/basic/fixdep',
    'scripts/gcc-plugins/stackleak_plugin.so',
    'tools/objtool/objtool',
    'scripts/prebuilt-blob',
  ]);
  const plan = planRebuild({ files, foreign });
  assert.deepEqual(plan, {
    kbuild: ['scripts/basic/fixdep', 'scripts/gcc-plugins/stackleak_plugin.so'],
    tools: ['tools/objtool/objtool'],
    gccPlugins: true,
  });
  assert.deepEqual(plannedPrograms(plan), [
    'scripts/basic/fixdep',
    'scripts/gcc-plugins/stackleak_plugin.so',
    'tools/objtool/objtool',
  ]);
});

test('a foreign file from the source tree is no build product: it is not planned (the gate refuses it)', () => {
  assert.deepEqual(planRebuild({ files, foreign: new Set(['scripts/prebuilt-blob']) }), {
    kbuild: [],
    tools: [],
    gccPlugins: false,
  });
});

test('a native build plans nothing; programs without plugins need no plugin headers', () => {
  assert.deepEqual(plannedPrograms(planRebuild({ files, foreign: new Set() })), []);
  assert.equal(planRebuild({ files, foreign: new Set(['scripts/mod/modpost']) }).gccPlugins, false);
});
