import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { findArch } from '../../arch/arch-table.js';
import { writeDeb } from '../../formats/deb/write-deb.js';
import { testStagedHeaders } from '../../testing/kernel-parts.js';
import { testPackageSet } from '../../testing/package-set.js';
import { headersPackage, headersPostinst } from './headers.js';
import { DEFAULT_DEBIAN_SETTINGS } from './settings.js';

const run = promisify(execFile);
const RELEASE = '6.12.95';
const set = testPackageSet(RELEASE);
const staged = testStagedHeaders(RELEASE, []);

function arch(name: string): NonNullable<ReturnType<typeof findArch>> {
  const found = findArch(name);
  assert.ok(found !== undefined, name);
  return found;
}

let work = '';
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-headers-'));
});
after(() => rm(work, { recursive: true, force: true }));

test('linux-headers has a postinst, and no other maintainer script: the header_postinst.d hooks', () => {
  const pkg = headersPackage(staged, arch('arm64'), set);
  assert.deepEqual(Object.keys(pkg.scripts ?? {}), ['postinst']);
  const postinst = pkg.scripts?.postinst ?? '';
  assert.ok(postinst.startsWith('#!/bin/sh\n'));
  assert.match(postinst, /^set -e$/m);
  assert.doesNotMatch(postinst, /#DEBHELPER#/);
  assert.match(postinst, /^export DEB_MAINT_PARAMS="\$\*"$/m);
  assert.doesNotMatch(postinst, /INITRD/, "Debian's headers do not tell their hooks about the initramfs");
  assert.match(
    postinst,
    /^if \[ "\$1" = configure \] && \[ -d \/etc\/kernel\/header_postinst\.d \]; then\n\trun-parts --report --exit-on-error --arg=6\.12\.95 --arg=\/boot\/vmlinuz-6\.12\.95 \/etc\/kernel\/header_postinst\.d\nfi$/m,
  );
  // The hook directory follows --hook-dir, as the image's do; the image path follows the arch.
  assert.match(
    headersPackage(staged, arch('ppc64el'), set, [], { ...DEFAULT_DEBIAN_SETTINGS, hookDir: '/opt/hooks' }).scripts
      ?.postinst ?? '',
    /--arg=6\.12\.95 --arg=\/boot\/vmlinux-6\.12\.95 \/opt\/hooks\/header_postinst\.d$/m,
  );
});

test('the postinst is written executable (0755) into control.tar', async () => {
  const pkg = headersPackage(staged, arch('arm64'), set);
  const deb = join(work, 'headers.deb');
  await writeDeb(pkg, deb, { compression: 'gzip' });
  const control = join(work, 'control');
  await run('dpkg-deb', ['--control', deb, control]);
  assert.equal(await readFile(join(control, 'postinst'), 'utf8'), pkg.scripts?.postinst);
  assert.equal((await stat(join(control, 'postinst'))).mode & 0o777, 0o755);
});

/**
 * Runs the postinst with `args` against a hook directory of its own (never this machine's
 * /etc/kernel) holding one hook that records its arguments and DEB_MAINT_PARAMS; returns the record.
 */
async function runPostinst(name: string, args: readonly string[], hook = true): Promise<string | undefined> {
  const dir = join(work, name);
  const hooks = join(dir, 'hooks');
  const record = join(dir, 'record');
  await mkdir(join(hooks, 'header_postinst.d'), { recursive: true });
  if (hook) {
    const hookFile = join(hooks, 'header_postinst.d', 'record');
    await writeFile(hookFile, `#!/bin/sh\necho "$# $1 $2 [$DEB_MAINT_PARAMS]" >> ${record}\n`);
    await chmod(hookFile, 0o755);
  } else {
    await rm(join(hooks, 'header_postinst.d'), { recursive: true });
  }
  const script = join(dir, 'postinst');
  await writeFile(script, headersPostinst(arch('arm64'), RELEASE, hooks));
  await run('sh', [script, ...args]);
  return readFile(record, 'utf8').catch(() => undefined);
}

test('on configure the postinst runs each hook with the release and the image path, DEB_MAINT_PARAMS set', async () => {
  assert.equal(
    await runPostinst('configure', ['configure', '6.12.95-1']),
    '2 6.12.95 /boot/vmlinuz-6.12.95 [configure 6.12.95-1]\n',
  );
});

test('the postinst runs no hook when dpkg unwinds (abort-*), and succeeds without the hook directory', async () => {
  assert.equal(await runPostinst('abort-upgrade', ['abort-upgrade', '6.12.94-1']), undefined);
  assert.equal(await runPostinst('abort-remove', ['abort-remove']), undefined);
  assert.equal(await runPostinst('no-hooks', ['configure', ''], false), undefined);
});

test('a failing hook fails the postinst', async () => {
  const dir = join(work, 'failing');
  await mkdir(join(dir, 'header_postinst.d'), { recursive: true });
  await writeFile(join(dir, 'header_postinst.d', 'fail'), '#!/bin/sh\nexit 3\n');
  await chmod(join(dir, 'header_postinst.d', 'fail'), 0o755);
  await writeFile(join(dir, 'postinst'), headersPostinst(arch('arm64'), RELEASE, dir));
  await assert.rejects(run('sh', [join(dir, 'postinst'), 'configure', '']));
});
