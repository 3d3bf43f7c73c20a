import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { putElfProgram, stepContext, targetResult, type RecordedStepContext } from '../../testing/smoke-steps.js';
import { tarInstaller } from '../install/tar.js';
import type { TargetRunResult } from '../target.js';
import { checkBinariesStep, modinfoStep } from './check.js';
import type { SmokeInput } from './step.js';

const RELEASE = '6.1.0-kpkg';
const BUILD_DIR = `/lib/modules/${RELEASE}/build`;
const MODULE = '/tmp/kpkg-sample/hello.ko';
let work = '';
let root = '';

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-check-step-'));
  root = join(work, 'root');
  await mkdir(join(root, dirname(MODULE)), { recursive: true });
  await writeFile(join(root, MODULE), 'ko bytes');
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

function contextFor(
  input: Partial<SmokeInput>,
  answer: (argv: readonly string[]) => TargetRunResult,
): RecordedStepContext {
  return stepContext(
    root,
    { debianArch: 'arm64', packages: [], installer: tarInstaller, release: RELEASE, cacheDir: work, ...input },
    answer,
    { buildDir: BUILD_DIR, modules: [MODULE] },
  );
}

const MODINFO = `filename:       ${MODULE}\nlicense:        GPL\nvermagic:       ${RELEASE} SMP preempt mod_unload aarch64\n`;

test("modinfo's vermagic for the release passes, and the module stays where it was built", async () => {
  const { context, commands } = contextFor({}, () => targetResult(MODINFO));
  assert.deepEqual(await modinfoStep.run(context), {
    ok: true,
    facts: { vermagic: `${RELEASE} SMP preempt mod_unload aarch64`, moduleFile: MODULE },
  });
  assert.deepEqual(commands, [['modinfo', MODULE]]);
});

test('with artifactsDir, the module is copied out of the rootfs', async () => {
  const artifactsDir = join(work, 'artifacts');
  const { context } = contextFor({ artifactsDir }, () => targetResult(MODINFO));
  const outcome = await modinfoStep.run(context);
  assert.equal(outcome.facts?.moduleFile, join(artifactsDir, 'hello.ko'));
  assert.equal(await readFile(join(artifactsDir, 'hello.ko'), 'utf8'), 'ko bytes');
});

test('a vermagic of another release fails modinfo and says what was expected', async () => {
  const { context } = contextFor({ release: '6.1.0' }, () => targetResult(MODINFO));
  const outcome = await modinfoStep.run(context);
  assert.equal(outcome.ok, false);
  assert.match(
    outcome.ok ? '' : outcome.logTail,
    /\nkpkg: vermagic of \/tmp\/kpkg-sample\/hello\.ko is '6\.1\.0-kpkg SMP preempt mod_unload aarch64', expected it to start with '6\.1\.0 '$/,
  );
});

test('modinfo that fails ends the step with its output', async () => {
  const { context } = contextFor({}, () => targetResult('modinfo: ERROR: could not get modinfo\n', 1));
  assert.deepEqual(await modinfoStep.run(context), { ok: false, logTail: 'modinfo: ERROR: could not get modinfo' });
});

test('a build tree of target programs passes check binaries', async () => {
  await putElfProgram(root, `${BUILD_DIR}/scripts/basic/fixdep`, 183);
  const { context, log } = contextFor({}, () => assert.fail('check binaries runs nothing in the rootfs'));
  assert.deepEqual(await checkBinariesStep.run(context), { ok: true });
  assert.deepEqual(log, []);
});

test('a wrong-architecture program in the build tree fails check binaries and is named', async () => {
  await putElfProgram(root, `${BUILD_DIR}/scripts/basic/fixdep`, 183);
  await putElfProgram(root, `${BUILD_DIR}/scripts/sign-file`, 62);
  const { context, log } = contextFor({}, () => assert.fail('check binaries runs nothing in the rootfs'));
  const named = `${BUILD_DIR}/scripts/sign-file: x86-64 64-bit little-endian`;
  assert.deepEqual(await checkBinariesStep.run(context), {
    ok: false,
    logTail: `kpkg: 1 program(s) in the headers are not arm64 binaries:\n  ${named}`,
  });
  assert.deepEqual(log, [named]);
});
