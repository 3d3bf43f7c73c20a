import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { putElfProgram, stepContext, targetResult, type RecordedStepContext } from '../../testing/smoke-steps.js';
import { tarInstaller } from '../install/tar.js';
import type { TargetRunResult } from '../target.js';
import { buildModuleStep, dkmsStep, MODULE_DIR_IN_ROOT } from './build.js';
import type { SmokeInput } from './step.js';

const RELEASE = '6.1.0-kpkg';
const BUILD_DIR = `/lib/modules/${RELEASE}/build`;
let work = '';
let root = '';
let moduleDir = '';

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-build-step-'));
  root = join(work, 'root');
  moduleDir = join(work, 'module');
  await mkdir(join(root, BUILD_DIR), { recursive: true });
  await mkdir(moduleDir);
  await writeFile(join(moduleDir, 'Makefile'), 'obj-m := hello.o\n');
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

function contextFor(
  input: Partial<SmokeInput>,
  answer: (argv: readonly string[]) => TargetRunResult | Promise<TargetRunResult>,
): RecordedStepContext {
  return stepContext(
    root,
    {
      debianArch: 'arm64',
      packages: [],
      installer: tarInstaller,
      release: RELEASE,
      cacheDir: work,
      moduleDir,
      ...input,
    },
    answer,
    { buildDir: BUILD_DIR },
  );
}

/** What make does in the rootfs: a .ko beside the module's source. */
async function buildKo(): Promise<TargetRunResult> {
  await writeFile(join(root, MODULE_DIR_IN_ROOT, 'hello.ko'), 'ko');
  return targetResult('  LD [M]  /tmp/kpkg-sample/hello.ko\n');
}

test("the module is built from a copy of its source in the rootfs, with the input's make arguments", async () => {
  const { context, commands } = contextFor({ makeArgs: ['LLVM=1'] }, buildKo);
  assert.deepEqual(await buildModuleStep.run(context), {
    ok: true,
    facts: { modules: [`${MODULE_DIR_IN_ROOT}/hello.ko`] },
  });
  assert.deepEqual(commands, [['make', '-C', BUILD_DIR, `M=${MODULE_DIR_IN_ROOT}`, 'LLVM=1', 'modules']]);
  assert.equal(await readFile(join(root, MODULE_DIR_IN_ROOT, 'Makefile'), 'utf8'), 'obj-m := hello.o\n');
});

test('a failed build names the programs in the build tree that are not target binaries', async () => {
  await putElfProgram(root, `${BUILD_DIR}/scripts/basic/fixdep`, 62);
  await putElfProgram(root, `${BUILD_DIR}/scripts/mod/modpost`, 183);
  const { context } = contextFor({}, () => targetResult('/bin/sh: 1: scripts/basic/fixdep: not found\n', 2));
  assert.deepEqual(await buildModuleStep.run(context), {
    ok: false,
    logTail: [
      '/bin/sh: 1: scripts/basic/fixdep: not found',
      'kpkg: 1 program(s) in the headers are not arm64 binaries:',
      `  ${BUILD_DIR}/scripts/basic/fixdep: x86-64 64-bit little-endian`,
    ].join('\n'),
  });
});

test('a failed build with only target programs reports the build output alone', async () => {
  await putElfProgram(root, `${BUILD_DIR}/scripts/basic/fixdep`, 183);
  const { context } = contextFor({}, () => targetResult('hello.c:1: error: expected declaration\n', 2));
  assert.deepEqual(await buildModuleStep.run(context), {
    ok: false,
    logTail: 'hello.c:1: error: expected declaration',
  });
});

test('make that succeeds without a .ko fails the step', async () => {
  const { context } = contextFor({}, () => targetResult('nothing to be done\n'));
  assert.deepEqual(await buildModuleStep.run(context), {
    ok: false,
    logTail: 'nothing to be done\nkpkg: make succeeded but built no .ko file',
  });
});

test('the dkms step belongs only to runs that ask for DKMS packages', () => {
  const input: SmokeInput = {
    debianArch: 'arm64',
    packages: [],
    installer: tarInstaller,
    release: RELEASE,
    cacheDir: work,
  };
  assert.equal(dkmsStep.wanted?.(input), false);
  assert.equal(dkmsStep.wanted?.({ ...input, dkms: [] }), false);
  assert.equal(dkmsStep.wanted?.({ ...input, dkms: [{ package: 'vpoll-dkms' }] }), true);
});

test('a DKMS package that registered no module fails the dkms step, and its result is kept', async () => {
  await mkdir(join(root, 'var/lib/dpkg/info'), { recursive: true });
  const { context, commands } = contextFor({ dkms: [{ package: 'vpoll-dkms' }] }, () => targetResult(''));
  const outcome = await dkmsStep.run(context);
  assert.deepEqual(commands, [['dkms', 'status']]);
  assert.equal(outcome.ok, false);
  assert.match(
    outcome.ok ? '' : outcome.logTail,
    /^== vpoll-dkms \(\?\/\?\) failed:\nkpkg: vpoll-dkms registered no DKMS module/,
  );
  assert.deepEqual(
    outcome.facts?.dkms?.map((d) => [d.package, d.ok]),
    [['vpoll-dkms', false]],
  );
});
