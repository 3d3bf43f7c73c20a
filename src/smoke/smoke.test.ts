import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { rpmInstaller } from './install/rpm.js';
import { runSmokeSteps, SMOKE_STEPS, type RootfsAccess } from './smoke.js';
import { hostCopyInto } from '../testing/smoke-steps.js';
import { done, failed, need, type SmokeInput, type Step } from './steps/step.js';
import type { SmokeTarget } from './target.js';

let work = '';
let input: SmokeInput;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-smoke-runner-'));
  input = {
    debianArch: 'arm64',
    packages: ['/in/kernel-devel.rpm'],
    installer: rpmInstaller,
    release: '6.1.0-kpkg',
    cacheDir: work,
    artifactsDir: join(work, 'artifacts'),
  };
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A rootfs step that records whether its rootfs was removed. */
function fakeRootfs(removed: string[]): Step<'rootfs'> {
  return {
    name: 'rootfs',
    run: (context) => {
      const remove = (): Promise<void> => {
        removed.push('rootfs');
        return Promise.resolve();
      };
      const rootfs = { dir: join(work, 'rootfs'), remove };
      return Promise.resolve(done({ rootfs, target: context.enterRootfs(rootfs.dir) }));
    },
  };
}

/** The target the runner enters: every command says it ran, exit code 0. */
function echoTarget(root: string): SmokeTarget {
  return {
    root,
    run: (argv) =>
      Promise.resolve({
        exitCode: 0,
        timedOut: false,
        output: `ran ${argv.join(' ')}\n`,
        tail: `ran ${argv.join(' ')}`,
      }),
    put: hostCopyInto(root),
  };
}

/** How these runs unpack (never: the fake rootfs step makes its own) and enter the rootfs (echoTarget). */
const ECHO_ROOTFS: RootfsAccess = {
  unpackRootfs: () => assert.fail('the fake rootfs step unpacks nothing'),
  enterRootfs: echoTarget,
};

function step<Name extends string>(name: Name, run: Step<Name>['run']): Step<Name> {
  return { name, run };
}

test('the steps of a smoke run, in the order onStep, the timings and failedStep name them', () => {
  assert.deepEqual(
    SMOKE_STEPS.map((s) => s.name),
    ['binfmt', 'rootfs', 'install', 'boot config', 'dkms', 'build module', 'modinfo', 'check binaries', 'boot'],
  );
});

test('the runner stops at the first failing step and reports its name and log tail', async () => {
  const removed: string[] = [];
  const started: string[] = [];
  const ran: string[] = [];
  const steps: Step[] = [
    fakeRootfs(removed),
    step('build', async ({ facts }) => {
      ran.push('build');
      await need(facts, 'target', 'build').run(['make', 'modules']);
      return failed('fixdep: Exec format error', { buildTree: '/usr/src/x' });
    }),
    step('check', () => assert.fail('no step runs after a failure')),
  ];
  const result = await runSmokeSteps(steps, input, { onStep: (name) => started.push(name), rootfsAccess: ECHO_ROOTFS });
  assert.deepEqual(started, ['rootfs', 'build']);
  assert.deepEqual(ran, ['build']);
  assert.deepEqual(Object.keys(result), ['ok', 'failedStep', 'logTail', 'installer', 'timings', 'logFile']);
  assert.equal(result.ok, false);
  assert.equal(result.failedStep, 'build');
  assert.equal(result.logTail, 'fixdep: Exec format error');
  assert.equal(result.installer, 'rpm');
  assert.deepEqual(
    result.timings.map((t) => t.step),
    ['rootfs', 'build'],
  );
  assert.equal(result.logFile, join(work, 'artifacts', 'smoke.log'));
  assert.equal(
    await readFile(result.logFile, 'utf8'),
    '== rootfs\n== build\n$ make modules\nran make modules\n[exit 0]\n== failed at build\n',
  );
  assert.deepEqual(removed, ['rootfs']);
});

test('a passing run reports the facts in the order --json prints them, and keeps the rootfs when asked', async () => {
  const removed: string[] = [];
  const steps: Step[] = [
    fakeRootfs(removed),
    { name: 'skipped', wanted: () => false, run: () => assert.fail('an unwanted step does not run') },
    step('facts', () =>
      Promise.resolve(
        done({ dkms: [], moduleFile: '/a/hello.ko', vermagic: '6.1.0-kpkg SMP', buildTree: '/usr/src/x' }),
      ),
    ),
  ];
  const result = await runSmokeSteps(
    steps,
    { ...input, artifactsDir: undefined },
    { keepRootfs: true, rootfsAccess: ECHO_ROOTFS },
  );
  assert.deepEqual(Object.keys(result), [
    'ok',
    'vermagic',
    'moduleFile',
    'buildTree',
    'dkms',
    'installer',
    'timings',
    'rootfsDir',
  ]);
  assert.equal(result.ok, true);
  assert.deepEqual(
    result.timings.map((t) => t.step),
    ['rootfs', 'facts'],
  );
  assert.equal(result.rootfsDir, join(work, 'rootfs'));
  assert.deepEqual(removed, []);
});

test('what the scripts did goes into the result, whether the run passes or fails', async () => {
  const denied = {
    package: 'kernel-devel',
    script: 'scriptlet',
    kind: 'denied' as const,
    words: 'x: Permission denied',
  };
  const installs = step('install', () => Promise.resolve(done({ scripts: [denied] })));
  const passedRun = await runSmokeSteps([fakeRootfs([]), installs], input, { rootfsAccess: ECHO_ROOTFS });
  assert.deepEqual(passedRun.scripts, [denied]);
  assert.equal(Object.keys(passedRun).at(-4), 'scripts', 'after the facts --json has always printed');
  const fails = step('build', () => Promise.resolve(failed('make: *** [modules] Error 2')));
  const failedRun = await runSmokeSteps([fakeRootfs([]), installs, fails], input, { rootfsAccess: ECHO_ROOTFS });
  assert.equal(failedRun.ok, false);
  assert.deepEqual(failedRun.scripts, [denied]);
});

test('a step that throws still has the rootfs removed', async () => {
  const removed: string[] = [];
  const steps: Step[] = [fakeRootfs(removed), step('install', () => Promise.reject(new Error('copy failed')))];
  await assert.rejects(runSmokeSteps(steps, input, { rootfsAccess: ECHO_ROOTFS }), /copy failed/);
  assert.deepEqual(removed, ['rootfs']);
});

test('a step that needs a fact no step before it made is an internal error that names both', async () => {
  const steps: Step[] = [
    step('check binaries', ({ facts }) =>
      Promise.resolve(done({ buildTree: need(facts, 'buildDir', 'check binaries') })),
    ),
  ];
  await assert.rejects(
    runSmokeSteps(steps, input, { rootfsAccess: ECHO_ROOTFS }),
    /'check binaries' needs buildDir, which no step before it made/,
  );
});
