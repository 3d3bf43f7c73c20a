import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { archByDebian } from '../arch/arch-table.js';
import { packagingFeatures } from '../kernel/features.js';
import { defaultCompilers, LIBRARY_PROBES, neededProbes, runLibraryProbes } from './library-probes.js';

const dir = await mkdtemp(join(tmpdir(), 'kpkg-library-probes-'));
after(() => rm(dir, { recursive: true, force: true }));

const ids = (config: Record<string, string> | undefined): string[] =>
  neededProbes(config === undefined ? undefined : packagingFeatures(new Map(Object.entries(config)))).map((p) => p.id);

test('only the libraries the configuration needs are probed; without one, all of them', () => {
  assert.deepEqual(
    ids(undefined),
    LIBRARY_PROBES.map((p) => p.id),
  );
  assert.deepEqual(ids({ CONFIG_MODULES: 'y' }), []);
  assert.deepEqual(ids({ CONFIG_MODULES: 'y', CONFIG_MODULE_SIG: 'y' }), ['target-libssl']);
  assert.deepEqual(ids({ CONFIG_GCC_PLUGINS: 'y', CONFIG_GCC_PLUGIN_LATENT_ENTROPY: 'y' }), ['target-gmp']);
});

test("the default compilers: the row's cross gcc, and the g++ of the same words and version", () => {
  const arm64 = archByDebian('arm64');
  assert.ok(arm64 !== undefined);
  assert.deepEqual(defaultCompilers(arm64), { cc: ['aarch64-linux-gnu-gcc'], cxx: ['aarch64-linux-gnu-g++'] });
  assert.deepEqual(defaultCompilers(arm64, ['ccache', 'aarch64-linux-gnu-gcc-12']), {
    cc: ['ccache', 'aarch64-linux-gnu-gcc-12'],
    cxx: ['ccache', 'aarch64-linux-gnu-g++-12'],
  });
  assert.deepEqual(defaultCompilers(arm64, ['clang'], ['clang++']).cxx, ['clang++']);
});

test("each probe runs its compiler with the sysroot and the probe's libraries; a failure keeps the compiler's words", async () => {
  const log = join(dir, 'log');
  const recording = ['sh', '-c', `echo "$*" >> '${log}'`, 'cc'];
  const failing = ['sh', '-c', 'echo "gmp.h: No such file or directory" >&2; exit 1', 'c++'];
  const probes = LIBRARY_PROBES.filter((p) => p.id === 'target-zlib' || p.id === 'target-gmp');
  const outcomes = await runLibraryProbes(probes, { cc: recording, cxx: failing }, '/srv/arm64');
  assert.deepEqual(
    outcomes.map((o) => [o.probe.id, o.ok]),
    [
      ['target-zlib', true],
      ['target-gmp', false],
    ],
  );
  assert.match(outcomes[1]?.output ?? '', /gmp\.h: No such file or directory/);
  assert.match(await readFile(log, 'utf8'), /^--sysroot=\/srv\/arm64 -o \S+\/probe \S+\/probe\.c -lz\n$/);
});
