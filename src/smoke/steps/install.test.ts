import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { installerOutput } from '../../testing/installer-output.js';
import { stepContext, targetResult, type RecordedStepContext } from '../../testing/smoke-steps.js';
import { debInstaller } from '../install/deb.js';
import type { Installer } from '../install/installer.js';
import { rpmInstaller } from '../install/rpm.js';
import { tarInstaller } from '../install/tar.js';
import type { TargetRunResult } from '../target.js';
import { installStep, PACKAGES_DIR_IN_ROOT } from './install.js';

const RELEASE = '6.1.0-kpkg';
let work = '';
let root = '';
let packageFile = '';

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-install-step-'));
  root = join(work, 'root');
  await mkdir(root);
  packageFile = join(work, 'linux-headers.pkg');
  await writeFile(packageFile, 'package bytes');
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** What installing does to the rootfs: a headers tree and the build link to it. */
async function installHeadersTree(): Promise<void> {
  await mkdir(join(root, `usr/src/linux-headers-${RELEASE}`), { recursive: true });
  await writeFile(join(root, `usr/src/linux-headers-${RELEASE}/Makefile`), '');
  await mkdir(join(root, `lib/modules/${RELEASE}`), { recursive: true });
  await symlink(`/usr/src/linux-headers-${RELEASE}`, join(root, `lib/modules/${RELEASE}/build`));
}

/** A context whose target is `root`, answering each command with `answer`. */
function contextFor(
  installer: Installer,
  answer: (argv: readonly string[]) => TargetRunResult | Promise<TargetRunResult>,
  options: { acceptScriptFailures?: boolean } = {},
): RecordedStepContext {
  return stepContext(
    root,
    { debianArch: 'arm64', packages: [packageFile], installer, release: RELEASE, cacheDir: work, ...options },
    answer,
  );
}

function fakeInstaller(overrides: Partial<Installer>): Installer {
  return {
    format: 'tar',
    program: 'fake-install',
    summary: 'fake-install',
    rootfsPackages: () => Promise.resolve([]),
    commands: (files) => [['fake-install', ...files]],
    facts: () => assert.fail('the install step reads no facts'),
    kernelFile: () => assert.fail('the install step boots nothing'),
    ...overrides,
  };
}

test("the install step runs the input's installer on the packages copied into the rootfs", async () => {
  const inRoot = `${PACKAGES_DIR_IN_ROOT}/linux-headers.pkg`;
  for (const [installer, argv] of [
    [tarInstaller, ['tar', '-xf', inRoot, '-C', '/', '--keep-directory-symlink']],
    [debInstaller, ['dpkg', '--force-unsafe-io', '--install', inRoot]],
  ] as const) {
    const { context, commands } = contextFor(installer, () => targetResult(''));
    await installStep.run(context);
    assert.deepEqual(commands[0], argv, installer.format);
  }
  assert.equal(await readFile(join(root, inRoot), 'utf8'), 'package bytes');
});

test('the install step writes the setup files, then finds where the build link leads', async () => {
  const installer = fakeInstaller({ setupFiles: () => ({ '/etc/fake/fake.conf': 'conf\n' }) });
  const { context, commands, log } = contextFor(installer, async () => {
    await installHeadersTree();
    return targetResult('installed\n');
  });
  const outcome = await installStep.run(context);
  assert.deepEqual(outcome, {
    ok: true,
    facts: { buildDir: `/lib/modules/${RELEASE}/build`, buildTree: `/usr/src/linux-headers-${RELEASE}`, scripts: [] },
  });
  assert.deepEqual(commands, [['fake-install', `${PACKAGES_DIR_IN_ROOT}/linux-headers.pkg`]]);
  assert.equal(await readFile(join(root, 'etc/fake/fake.conf'), 'utf8'), 'conf\n');
  assert.deepEqual(log, [`/lib/modules/${RELEASE}/build is /usr/src/linux-headers-${RELEASE}`]);
});

test('the first installer command that fails ends the step with its tail', async () => {
  const installer = fakeInstaller({ commands: () => [['first'], ['second']] });
  const { context, commands } = contextFor(installer, () => targetResult('unpacking\nE: broken package\n', 1));
  assert.deepEqual(await installStep.run(context), {
    ok: false,
    logTail: 'unpacking\nE: broken package',
    facts: { scripts: [] },
  });
  assert.deepEqual(commands, [['first']]);
});

test('a command that exits 0 but shows a problem fails the step and names the problem', async () => {
  const installer = fakeInstaller({
    problemIn: (output) => (output.includes('warning:') ? 'a file was not extracted' : undefined),
  });
  const { context } = contextFor(installer, () => targetResult('warning: could not extract x\n'));
  assert.deepEqual(await installStep.run(context), {
    ok: false,
    logTail: 'warning: could not extract x\nkpkg: a file was not extracted',
    facts: { scripts: [] },
  });
});

test('packages that installed no build tree for the release fail the step, listing what is there', async () => {
  const listing = '/lib/modules/:\ndrwxr-xr-x 3 root root 60 6.1.0-other';
  const { context, commands } = contextFor(fakeInstaller({}), (argv) => targetResult(argv[0] === 'sh' ? listing : ''));
  const outcome = await installStep.run(context);
  assert.deepEqual(outcome, {
    ok: false,
    facts: { scripts: [] },
    logTail: `the packages installed no /lib/modules/${RELEASE}/build/Makefile (wrong release '${RELEASE}'?):\n${listing}`,
  });
  assert.equal(commands.at(-1)?.[0], 'sh');
});

test('a script denied something is a warning: the step passes, the notes go into the facts and smoke.log', async () => {
  const { context, log } = contextFor(debInstaller, async () => {
    await installHeadersTree();
    return targetResult(installerOutput('dpkg-postinst-denied.txt'));
  });
  const outcome = await installStep.run(context);
  assert.equal(outcome.ok, true);
  const scripts = outcome.facts?.scripts ?? [];
  assert.equal(scripts.length, 11);
  assert.ok(scripts.every((s) => s.kind === 'denied'));
  assert.equal(
    log[0],
    "kpkg: linux-headers-denied's postinst was denied: /var/lib/dpkg/info/linux-headers-denied.postinst: 3: cannot create /usr/lib/kpkg-proof: Read-only file system",
  );
});

test("a script that failed fails the step, although rpm exited 0; the tail's first line names it and its words", async () => {
  const output = installerOutput('rpm-post-failed.txt');
  await installHeadersTree();
  const { context, commands } = contextFor(rpmInstaller, (argv) =>
    targetResult(argv.includes('--initdb') ? '' : output),
  );
  const outcome = await installStep.run(context);
  assert.equal(outcome.ok, false);
  assert.ok(!outcome.ok);
  assert.equal(
    outcome.logTail.split('\n')[0],
    "kernel-devel-failing-1.0-1.noarch's %post failed (exit status 1): cannot find the compiler",
  );
  assert.ok(outcome.logTail.endsWith(targetResult(output).tail));
  assert.deepEqual(
    outcome.facts?.scripts?.map((s) => s.kind),
    ['failed'],
  );
  assert.equal(commands.length, 2, 'rpm --initdb, then rpm -i; no look for the build tree');
});

test("dpkg's failure names the script before the tail it had before", async () => {
  const output = installerOutput('dpkg-postinst-failed.txt');
  const { context } = contextFor(debInstaller, () => targetResult(output, 1));
  const outcome = await installStep.run(context);
  assert.ok(!outcome.ok);
  assert.equal(
    outcome.logTail,
    `linux-headers-failing's postinst failed (exit status 1): Configuring the headers / cannot find the compiler\n${targetResult(output).tail}`,
  );
});

test('with --accept-script-failures a failed postinst is a warning: the next command runs and the step passes', async () => {
  const output = installerOutput('dpkg-postinst-failed.txt');
  await installHeadersTree();
  const { context, commands, log } = contextFor(debInstaller, () => targetResult(output, 1), {
    acceptScriptFailures: true,
  });
  const outcome = await installStep.run(context);
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.logTail);
  assert.deepEqual(
    outcome.facts?.scripts?.map((s) => [s.kind, s.accepted]),
    [['failed', true]],
  );
  assert.ok(
    log.includes(
      "kpkg: linux-headers-failing's postinst failed (exit status 1), accepted (--accept-script-failures): Configuring the headers / cannot find the compiler",
    ),
    log.join('\n'),
  );
  assert.ok(
    commands.some((argv) => argv.includes('dpkg')),
    'dpkg ran',
  );
});
