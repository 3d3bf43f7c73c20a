import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { lastLines } from '../../util/last-lines.js';
import { tarInstaller } from '../install/tar.js';
import type { TargetRunResult } from '../target.js';
import { checkBinariesStep, modinfoStep } from './check.js';
import type { SmokeFacts, SmokeInput, StepContext } from './step.js';

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

function result(output: string, exitCode = 0): TargetRunResult {
  return { exitCode, timedOut: false, output, tail: lastLines(output, 30) };
}

/** A bare 64-bit little-endian ELF executable header for `machine` (62 x86-64, 183 AArch64): all the identity check reads. */
function elfProgram(machine: number): Uint8Array {
  const bytes = new Uint8Array(64);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  const view = new DataView(bytes.buffer);
  view.setUint16(16, 2, true);
  view.setUint16(18, machine, true);
  view.setUint32(20, 1, true);
  view.setUint16(52, 64, true);
  return bytes;
}

async function putProgram(pathInRoot: string, machine: number): Promise<void> {
  await mkdir(dirname(join(root, pathInRoot)), { recursive: true });
  await writeFile(join(root, pathInRoot), elfProgram(machine));
  await chmod(join(root, pathInRoot), 0o755);
}

function contextFor(
  input: Partial<SmokeInput>,
  answer: (argv: readonly string[]) => TargetRunResult,
): { context: StepContext; commands: string[][]; log: string[] } {
  const commands: string[][] = [];
  const log: string[] = [];
  const run = (argv: readonly string[]): Promise<TargetRunResult> => {
    commands.push([...argv]);
    return Promise.resolve(answer(argv));
  };
  const facts: SmokeFacts = { target: { root, run }, buildDir: BUILD_DIR, modules: [MODULE] };
  const context: StepContext = {
    input: { debianArch: 'arm64', packages: [], installer: tarInstaller, release: RELEASE, cacheDir: work, ...input },
    facts,
    note: (...lines) => log.push(...lines),
    onLine: undefined,
    enterRootfs: () => assert.fail('checking enters no rootfs'),
  };
  return { context, commands, log };
}

const MODINFO = `filename:       ${MODULE}\nlicense:        GPL\nvermagic:       ${RELEASE} SMP preempt mod_unload aarch64\n`;

test("modinfo's vermagic for the release passes, and the module stays where it was built", async () => {
  const { context, commands } = contextFor({}, () => result(MODINFO));
  assert.deepEqual(await modinfoStep.run(context), {
    ok: true,
    facts: { vermagic: `${RELEASE} SMP preempt mod_unload aarch64`, moduleFile: MODULE },
  });
  assert.deepEqual(commands, [['modinfo', MODULE]]);
});

test('with artifactsDir, the module is copied out of the rootfs', async () => {
  const artifactsDir = join(work, 'artifacts');
  const { context } = contextFor({ artifactsDir }, () => result(MODINFO));
  const outcome = await modinfoStep.run(context);
  assert.equal(outcome.facts?.moduleFile, join(artifactsDir, 'hello.ko'));
  assert.equal(await readFile(join(artifactsDir, 'hello.ko'), 'utf8'), 'ko bytes');
});

test('a vermagic of another release fails modinfo and says what was expected', async () => {
  const { context } = contextFor({ release: '6.1.0' }, () => result(MODINFO));
  const outcome = await modinfoStep.run(context);
  assert.equal(outcome.ok, false);
  assert.match(
    outcome.ok ? '' : outcome.logTail,
    /\nkpkg: vermagic of \/tmp\/kpkg-sample\/hello\.ko is '6\.1\.0-kpkg SMP preempt mod_unload aarch64', expected it to start with '6\.1\.0 '$/,
  );
});

test('modinfo that fails ends the step with its output', async () => {
  const { context } = contextFor({}, () => result('modinfo: ERROR: could not get modinfo\n', 1));
  assert.deepEqual(await modinfoStep.run(context), { ok: false, logTail: 'modinfo: ERROR: could not get modinfo' });
});

test('a build tree of target programs passes check binaries', async () => {
  await putProgram(`${BUILD_DIR}/scripts/basic/fixdep`, 183);
  const { context, log } = contextFor({}, () => assert.fail('check binaries runs nothing in the rootfs'));
  assert.deepEqual(await checkBinariesStep.run(context), { ok: true });
  assert.deepEqual(log, []);
});

test('a wrong-architecture program in the build tree fails check binaries and is named', async () => {
  await putProgram(`${BUILD_DIR}/scripts/basic/fixdep`, 183);
  await putProgram(`${BUILD_DIR}/scripts/sign-file`, 62);
  const { context, log } = contextFor({}, () => assert.fail('check binaries runs nothing in the rootfs'));
  const named = `${BUILD_DIR}/scripts/sign-file: x86-64 64-bit little-endian`;
  assert.deepEqual(await checkBinariesStep.run(context), {
    ok: false,
    logTail: `kpkg: 1 program(s) in the headers are not arm64 binaries:\n  ${named}`,
  });
  assert.deepEqual(log, [named]);
});
