import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { KpkgError } from '../../util/errors.js';
import type { PluginCompiler } from './gcc-plugins.js';
import type { HeadersEntry } from './manifest.js';
import {
  compilerRecordEntry,
  HostProgramRebuildFailed,
  kbuildAlongsideTools,
  withLibrariesInFailure,
  withRebuiltPrograms,
  writeCompilerRecord,
} from './rebuild.js';

let work = '';

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-headers-rebuild-'));
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A promise with its resolve and reject, to settle steps in the order a test chooses. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (e: unknown) => void } {
  let resolve: (value: T) => void = () => undefined;
  let reject: (e: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

test('Kbuild programs and tools/ builds run at once: tools/ start first, Kbuild programs come first in the result', async () => {
  const started: string[] = [];
  const tools = deferred<string[]>();
  const both = kbuildAlongsideTools(
    () => {
      started.push('kbuild');
      return Promise.resolve(['scripts/basic/fixdep']);
    },
    () => {
      started.push('tools');
      return tools.promise;
    },
  );
  assert.deepEqual(started, ['tools', 'kbuild']);
  tools.resolve(['tools/objtool/objtool']);
  assert.deepEqual(await both, ['scripts/basic/fixdep', 'tools/objtool/objtool']);
});

test("when Kbuild's programs fail, the failure waits until the tools/ builds have settled", async () => {
  const tools = deferred<string[]>();
  let settled = false;
  const both = kbuildAlongsideTools(
    () => Promise.reject(new Error('modpost did not link')),
    () => tools.promise.finally(() => (settled = true)),
  );
  let failed = false;
  const outcome = both.catch((e: unknown) => {
    failed = true;
    assert.equal(settled, true, 'the tools/ builds settled first');
    throw e;
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(failed, false, 'still waiting for the tools/ builds');
  tools.reject(new Error('objtool failed too'));
  await assert.rejects(outcome, { message: 'modpost did not link' });
});

test('a failure while target libraries are in use carries them; without libraries it goes on as it is', async () => {
  const libraries = { sysroot: '/sysroot', description: 'target libraries from --sysroot /sysroot' };
  const cause = new KpkgError('cannot find -lelf');
  await assert.rejects(
    withLibrariesInFailure(libraries, () => Promise.reject(cause)),
    (e: unknown) => e instanceof HostProgramRebuildFailed && e.failure === cause && e.libraries === libraries,
  );
  await assert.rejects(
    withLibrariesInFailure(undefined, () => Promise.reject(cause)),
    (e: unknown) => e === cause,
  );
  assert.equal(await withLibrariesInFailure(libraries, () => Promise.resolve(3)), 3);
});

test("the rebuilt programs replace the build machine's files in the tree, with their own size", async () => {
  const output = join(work, 'fixdep');
  await writeFile(output, 'target program');
  const entries: HeadersEntry[] = [
    { path: 'Makefile', kind: 'file', source: '/src/Makefile', mode: 0o644, size: 10, origin: 'srctree' },
    {
      path: 'scripts/basic/fixdep',
      kind: 'file',
      source: '/obj/scripts/basic/fixdep',
      mode: 0o755,
      size: 99,
      origin: 'objtree',
    },
  ];
  const merged = await withRebuiltPrograms(entries, [
    { path: 'scripts/basic/fixdep', output, was: 'x86-64 64-bit little-endian' },
  ]);
  assert.deepEqual(merged, [
    entries[0],
    { path: 'scripts/basic/fixdep', kind: 'file', source: output, mode: 0o755, size: 14, origin: 'kpkg' },
  ]);
});

test("the plugins' compiler record is written with them and read back as a file of the tree; another compiler's is refused", async () => {
  const compiler: PluginCompiler = {
    major: 12,
    basever: '12.2.0',
    datestamp: '20220819',
    pkgversion: 'Debian 12.2.0-14',
    configure: '../src/configure -v',
  };
  const dir = join(work, 'entry');
  await writeCompilerRecord(compiler, dir);
  const entry = await compilerRecordEntry(compiler, dir);
  assert.equal(entry.path, 'scripts/gcc-plugins/kpkg-target-gcc');
  assert.equal(entry.origin, 'kpkg');
  assert.match(entry.source, /kpkg-records/);
  await assert.rejects(compilerRecordEntry({ ...compiler, basever: '12.3.0' }, dir), /not this compiler's/);
});
