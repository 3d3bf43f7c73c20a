import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KpkgError } from '../util/errors.js';
import type { TargetRunResult } from './target.js';
import { aptSpec, buildDkmsModules, builtForRelease, parseDkmsRequest, parseDkmsStatus } from './dkms.js';

test('--dkms takes a package name with an optional =version', () => {
  assert.deepEqual(parseDkmsRequest('v4l2loopback-dkms'), { package: 'v4l2loopback-dkms', version: undefined });
  assert.deepEqual(parseDkmsRequest('vpoll-dkms=0.1-2'), { package: 'vpoll-dkms', version: '0.1-2' });
  assert.equal(aptSpec(parseDkmsRequest('vpoll-dkms=0.1-2')), 'vpoll-dkms=0.1-2');
  assert.equal(aptSpec(parseDkmsRequest('vpoll-dkms')), 'vpoll-dkms');
  for (const bad of ['', 'Vpoll', 'vpoll-dkms=', 'a;rm -rf /', 'vpoll-dkms=1 2']) {
    assert.throws(
      () => parseDkmsRequest(bad),
      (e: unknown) => e instanceof KpkgError && e.exitCode === 2,
      bad,
    );
  }
});

test('dkms status: added and built modules, each once, with the kernels they are built for', () => {
  const status = `vpoll/0.1: added
dm-writeboost/2.2.17, 6.1.192, aarch64: built
dm-writeboost/2.2.17: added
Warning: some warning line
`;
  assert.deepEqual(parseDkmsStatus(status), [
    { module: 'vpoll', version: '0.1', kernels: [] },
    { module: 'dm-writeboost', version: '2.2.17', kernels: [{ kernel: '6.1.192', arch: 'aarch64', state: 'built' }] },
  ]);
});

test('dkms 3.0.10 status lines: installed, built and added, and notes after the state', () => {
  // As dkms 3.0.10 (Debian bookworm) prints them.
  const entries = parseDkmsStatus(
    [
      'dm-writeboost/2.2.16, 6.1.192, aarch64: installed',
      'v4l2loopback/0.12.7, 6.1.192, aarch64: built',
      'foo/1.0: added',
      'bar/2.0, 6.1.192, aarch64: installed (WARNING! Diff between built and installed module!)',
      'baz/3.0, 6.1.192, aarch64: broken',
    ].join('\n'),
  );
  assert.deepEqual(entries, [
    {
      module: 'dm-writeboost',
      version: '2.2.16',
      kernels: [{ kernel: '6.1.192', arch: 'aarch64', state: 'installed' }],
    },
    { module: 'v4l2loopback', version: '0.12.7', kernels: [{ kernel: '6.1.192', arch: 'aarch64', state: 'built' }] },
    { module: 'foo', version: '1.0', kernels: [] },
    { module: 'bar', version: '2.0', kernels: [{ kernel: '6.1.192', arch: 'aarch64', state: 'installed' }] },
    { module: 'baz', version: '3.0', kernels: [] },
  ]);
  const [writeboost, loopback, foo] = entries;
  assert.ok(writeboost !== undefined && loopback !== undefined && foo !== undefined);
  assert.equal(builtForRelease(writeboost, '6.1.192'), true);
  assert.equal(builtForRelease(loopback, '6.1.192'), true);
  assert.equal(builtForRelease(loopback, '6.1.19'), false, 'the whole release, not a prefix');
  assert.equal(builtForRelease(foo, '6.1.192'), false);
});

const RELEASE = '6.1.192';
const result = (output: string, exitCode = 0): TargetRunResult => ({
  exitCode,
  timedOut: false,
  output,
  tail: output,
});

/**
 * A rootfs where `pkg` installed /usr/src/<module>-<version>/dkms.conf, and dkms left `kos` under
 * /var/lib/dkms/<module>/<version>/<release>/aarch64/module/ (none: not built).
 */
async function dkmsRoot(pkg: string, module: string, version: string, kos: readonly string[]): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'kpkg-dkms-root-'));
  await mkdir(join(root, 'var/lib/dpkg/info'), { recursive: true });
  await writeFile(
    join(root, 'var/lib/dpkg/info', `${pkg}.list`),
    `/usr/src/${module}-${version}\n/usr/src/${module}-${version}/dkms.conf\n`,
  );
  const moduleDir = join(root, 'var/lib/dkms', module, version, RELEASE, 'aarch64/module');
  await mkdir(moduleDir, { recursive: true });
  for (const ko of kos) await writeFile(join(moduleDir, ko), 'ELF');
  return root;
}

/** A fake `run` in the rootfs: answers dkms status, dkms build and modinfo, and records what it ran. */
function fakeRun(status: string, calls: string[][]): (argv: string[]) => Promise<TargetRunResult> {
  return (argv) => {
    calls.push(argv);
    if (argv[0] === 'dkms' && argv[1] === 'status') return Promise.resolve(result(status));
    if (argv[0] === 'dkms' && argv[1] === 'build') return Promise.resolve(result('Building module: done.'));
    if (argv[0] === 'modinfo')
      return Promise.resolve(result(`filename: ${argv[1] ?? ''}\nvermagic: ${RELEASE} SMP mod_unload aarch64\n`));
    return Promise.resolve(result(`unexpected ${argv.join(' ')}`, 127));
  };
}

test("a module the headers' hook already built or installed is not built again: builtBy hook, its .ko files listed", async () => {
  const root = await dkmsRoot('dm-writeboost-dkms', 'dm-writeboost', '2.2.16', ['dm-writeboost.ko', 'a.ko']);
  try {
    const calls: string[][] = [];
    const status = `dm-writeboost/2.2.16, ${RELEASE}, aarch64: installed\n`;
    const [r] = await buildDkmsModules(root, fakeRun(status, calls), [{ package: 'dm-writeboost-dkms' }], RELEASE);
    assert.deepEqual(r, {
      package: 'dm-writeboost-dkms',
      module: 'dm-writeboost',
      version: '2.2.16',
      ok: true,
      builtBy: 'hook',
      moduleFiles: [
        `/var/lib/dkms/dm-writeboost/2.2.16/${RELEASE}/aarch64/module/a.ko`,
        `/var/lib/dkms/dm-writeboost/2.2.16/${RELEASE}/aarch64/module/dm-writeboost.ko`,
      ],
      vermagic: `${RELEASE} SMP mod_unload aarch64`,
    });
    assert.ok(!calls.some((argv) => argv[1] === 'build'), 'no dkms build');
    assert.deepEqual(calls.at(-1), ['modinfo', `/var/lib/dkms/dm-writeboost/2.2.16/${RELEASE}/aarch64/module/a.ko`]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a module only added (or built for another kernel) is built with dkms build -k <release>', async () => {
  const root = await dkmsRoot('v4l2loopback-dkms', 'v4l2loopback', '0.12.7', ['v4l2loopback.ko']);
  try {
    const calls: string[][] = [];
    const status = 'v4l2loopback/0.12.7, 6.1.0-9-arm64, aarch64: installed\nv4l2loopback/0.12.7: added\n';
    const [r] = await buildDkmsModules(root, fakeRun(status, calls), [{ package: 'v4l2loopback-dkms' }], RELEASE);
    assert.equal(r?.ok, true, r?.logTail);
    assert.equal(r.builtBy, 'dkms build');
    assert.deepEqual(r.moduleFiles, [`/var/lib/dkms/v4l2loopback/0.12.7/${RELEASE}/aarch64/module/v4l2loopback.ko`]);
    assert.ok(
      calls.some((argv) => argv.join(' ') === `dkms build -m v4l2loopback -v 0.12.7 -k ${RELEASE}`),
      JSON.stringify(calls),
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('dkms status says built, but no .ko is there: a failure that says so', async () => {
  const root = await dkmsRoot('vpoll-dkms', 'vpoll', '0.1', []);
  try {
    const [r] = await buildDkmsModules(
      root,
      fakeRun(`vpoll/0.1, ${RELEASE}, aarch64: built\n`, []),
      [{ package: 'vpoll-dkms' }],
      RELEASE,
    );
    assert.equal(r?.ok, false);
    assert.equal(r.builtBy, 'hook');
    assert.deepEqual(r.moduleFiles, []);
    assert.match(
      r.logTail ?? '',
      /dkms status says it is built but left no \.ko under \/var\/lib\/dkms\/vpoll\/0\.1\/6\.1\.192/,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
