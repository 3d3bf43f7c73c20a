import assert from 'node:assert/strict';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseElf } from '../elf/elf.js';
import { smoke, type SmokeStep } from './smoke.js';
import { debianArm64Headers, rootfsCacheDir } from '../testing/smoke-fixtures.js';

test("Debian's own arm64 headers build kpkg_hello in the emulated target", async (t) => {
  const headers = await debianArm64Headers();
  const steps: SmokeStep[] = [];
  const artifactsDir = await mkdtemp(join(tmpdir(), 'kpkg-smoke-ok-'));
  try {
    const started = performance.now();
    const result = await smoke({
      debianArch: 'arm64',
      packages: headers.debs,
      release: headers.release,
      cacheDir: rootfsCacheDir(),
      onStep: (s) => steps.push(s),
      artifactsDir,
    });
    t.diagnostic(
      `smoke of ${headers.release} (${headers.version}): ${Math.round(performance.now() - started) / 1000} s; ${JSON.stringify(result.timings)}`,
    );
    assert.equal(result.ok, true, `failed at ${result.failedStep}:\n${result.logTail}`);
    assert.deepEqual(steps, ['binfmt', 'rootfs', 'install', 'build module', 'modinfo', 'check binaries']);
    assert.ok(result.vermagic?.startsWith(`${headers.release} `), result.vermagic);
    assert.match(result.vermagic ?? '', /modversions aarch64$/);
    assert.equal(result.moduleFile, join(artifactsDir, 'kpkg_hello.ko'));
    const ko = parseElf(await readFile(result.moduleFile));
    assert.deepEqual(ko.kind === 'elf' && { class: ko.elf.class, rawType: ko.elf.rawType, machine: ko.elf.machine }, {
      class: 64,
      rawType: 1,
      machine: 183,
    });
    const log = await readFile(result.logFile ?? '', 'utf8');
    assert.match(log, /MODPOST/);
    assert.match(log, /LD \[M\] +\/tmp\/kpkg-sample\/kpkg_hello\.ko/);
    assert.deepEqual(
      result.timings.map((x) => x.step),
      steps,
    );
  } finally {
    await rm(artifactsDir, { recursive: true, force: true });
  }
});

test('headers whose fixdep is x86-64 fail at "build module", and the tail says fixdep', async (t) => {
  const headers = await debianArm64Headers();
  const debs = headers.debs.map((d) => (d === headers.kbuildDeb ? headers.kbuildWithX86Fixdep : d));
  const result = await smoke({
    debianArch: 'arm64',
    packages: debs,
    release: headers.release,
    cacheDir: rootfsCacheDir(),
    keepRootfs: true,
  });
  try {
    t.diagnostic(`timings: ${JSON.stringify(result.timings)}\n${result.logTail ?? ''}`);
    assert.equal(result.ok, false);
    assert.equal(result.failedStep, 'build module');
    assert.match(result.logTail ?? '', /fixdep/);
    // On an x86-64 host the x86-64 fixdep is not emulated: it fails for want of its dynamic loader.
    assert.match(result.logTail ?? '', /fixdep: (not found|Exec format error|No such file or directory)/);
    assert.equal(result.vermagic, undefined);
    // ...and kpkg names the culprit, whatever the shell said.
    assert.match(
      result.logTail ?? '',
      /kpkg: 1 program\(s\) in the headers are not arm64 binaries:\n {2}\/lib\/modules\/[^/]+\/build\/scripts\/basic\/fixdep: x86-64 64-bit little-endian$/,
    );
  } finally {
    if (result.rootfsDir !== undefined) await rm(result.rootfsDir, { recursive: true, force: true });
  }
});

test('an x86-64 program the module build never runs (sign-file) fails at "check binaries"', async () => {
  const headers = await debianArm64Headers();
  const debs = headers.debs.map((d) => (d === headers.kbuildDeb ? headers.kbuildWithX86SignFile : d));
  const result = await smoke({
    debianArch: 'arm64',
    packages: debs,
    release: headers.release,
    cacheDir: rootfsCacheDir(),
  });
  assert.equal(result.ok, false);
  assert.equal(result.failedStep, 'check binaries');
  assert.ok(result.vermagic === undefined);
  assert.match(result.logTail ?? '', /\/build\/scripts\/sign-file: x86-64 64-bit little-endian$/m);
});

test('a wrong release fails at "install" and names what is installed', async () => {
  const headers = await debianArm64Headers();
  const result = await smoke({
    debianArch: 'arm64',
    packages: headers.debs,
    release: '6.1.0-0-nonexistent',
    cacheDir: rootfsCacheDir(),
  });
  assert.equal(result.ok, false);
  assert.equal(result.failedStep, 'install');
  assert.match(result.logTail ?? '', /no \/lib\/modules\/6\.1\.0-0-nonexistent\/build\/Makefile/);
  assert.match(result.logTail ?? '', new RegExp(headers.release.replace(/[.+]/g, '\\$&')));
});

test('a missing .deb is a KpkgError before anything runs', async () => {
  await assert.rejects(
    smoke({
      debianArch: 'arm64',
      packages: ['/nonexistent/linux-headers.deb'],
      release: '6.1.0',
      cacheDir: rootfsCacheDir(),
    }),
    (e: unknown) => e instanceof Error && e.name === 'KpkgError' && /does not exist|must run as root/.test(e.message),
  );
  await assert.rejects(access('/nonexistent'));
});
