import assert from 'node:assert/strict';
import { test } from 'node:test';
import { archByDebian } from '../arch/arch-table.js';
import { packagingFeatures } from '../kernel/features.js';
import { missingChecks, runDoctor } from './checks.js';

const arm64 = archByDebian('arm64');
/** Module signing on: libcrypto is the one library the host programs need. */
const SIGNING = packagingFeatures(
  new Map([
    ['CONFIG_MODULES', 'y'],
    ['CONFIG_MODULE_SIG', 'y'],
  ]),
);
/** A "compiler" that links everything but libcrypto. */
const NO_LIBCRYPTO = ['sh', '-c', 'case "$*" in *-lcrypto*) echo "ld: cannot find -lcrypto" >&2; exit 1;; esac', 'cc'];

const brief = (results: Awaited<ReturnType<typeof runDoctor>>): string[][] =>
  results.map((r) => [r.id, r.ok ? 'ok' : 'FAIL', r.detail]);

test('without the target compiler only the compiler is missing: what needs it is left unchecked, not failed', async () => {
  assert.ok(arm64 !== undefined);
  const results = await runDoctor({
    arch: arm64,
    cc: ['aarch64-linux-gnu-gcc-kpkg-none'],
    features: SIGNING,
    libraries: { root: undefined, source: 'multiarch' },
  });
  assert.deepEqual(brief(results), [
    ['target-compiler', 'FAIL', 'aarch64-linux-gnu-gcc-kpkg-none is not on PATH'],
    ['target-libc', 'FAIL', 'not checked: it needs C compiler for arm64 (aarch64-linux-gnu-gcc-kpkg-none) first'],
    [
      'target-libssl',
      'FAIL',
      'not checked: it needs the arm64 C library, so host programs can be linked for the target first',
    ],
  ]);
  assert.deepEqual(
    missingChecks(results).map((r) => r.id),
    ['target-compiler'],
  );
  assert.deepEqual(
    results.map((r) => r.blockedBy),
    [undefined, 'target-compiler', 'target-libc'],
  );
});

test("packaging's own root is probed as it is, and a missing library's fix unpacks it there", async () => {
  assert.ok(arm64 !== undefined);
  const results = await runDoctor({
    arch: arm64,
    cc: NO_LIBCRYPTO,
    cxx: NO_LIBCRYPTO,
    features: SIGNING,
    libraries: { root: '/srv/arm64', source: 'option' },
  });
  assert.deepEqual(
    results.map((r) => [r.id, r.ok]),
    [
      ['target-compiler', true],
      ['target-libc', true],
      ['target-libssl', false],
    ],
  );
  assert.match(results[2]?.detail ?? '', /cannot find -lcrypto/);
  assert.match(results[2]?.what ?? '', /^libcrypto for arm64 \(scripts\/sign-file/);
  assert.match(results[2]?.fix?.debian ?? '', /dpkg-deb -x libssl-dev_\*_arm64\.deb \/srv\/arm64/);
});

test('a configuration that needs no library checks only the compiler and the C library', async () => {
  assert.ok(arm64 !== undefined);
  const results = await runDoctor({
    arch: arm64,
    cc: NO_LIBCRYPTO,
    features: packagingFeatures(new Map([['CONFIG_MODULES', 'y']])),
  });
  assert.deepEqual(
    results.map((r) => r.id),
    ['target-compiler', 'target-libc'],
  );
});
