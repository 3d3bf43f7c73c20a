import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { findArch } from '../../arch/arch-table.js';
import { testImageContents } from '../../testing/kernel-parts.js';
import { testPackageSet } from '../../testing/package-set.js';
import { imageMaintainerScript, imagePackage } from './image.js';

const run = promisify(execFile);
const arm64 = findArch('arm64');
const set = testPackageSet('6.12.95');
const contents = testImageContents('6.12.95', ['modules.dep']);

test("linux-image: boot files, modules, device trees, hook directories and docs at upstream's paths", () => {
  assert.ok(arm64 !== undefined);
  const pkg = imagePackage(contents, arm64, set);
  assert.equal(pkg.name, 'linux-image-6.12.95');
  assert.equal(pkg.section, 'kernel');
  assert.equal(pkg.summary, 'Linux kernel, version 6.12.95');
  assert.deepEqual(
    pkg.entries.map((e) => e.path),
    [
      '/boot/vmlinuz-6.12.95',
      '/boot/System.map-6.12.95',
      '/boot/config-6.12.95',
      '/lib',
      '/lib/modules',
      '/lib/modules/6.12.95',
      '/lib/modules/6.12.95/modules.dep',
      '/usr/lib/linux-image-6.12.95',
      '/usr/lib/linux-image-6.12.95/arm',
      '/usr/lib/linux-image-6.12.95/arm/juno.dtb',
      '/etc/kernel/preinst.d',
      '/etc/kernel/postinst.d',
      '/etc/kernel/prerm.d',
      '/etc/kernel/postrm.d',
      '/usr/share/doc/linux-image-6.12.95/copyright',
      '/usr/share/doc/linux-image-6.12.95/changelog.Debian.gz',
    ],
  );
  assert.deepEqual(Object.keys(pkg.scripts ?? {}).sort(), ['postinst', 'postrm', 'preinst', 'prerm']);
  assert.equal(pkg.depends, undefined, "upstream's image package depends on nothing");
  const noDtbs = imagePackage({ ...contents, dtbs: [] }, arm64, set);
  assert.ok(!noDtbs.entries.some((e) => e.path.startsWith('/usr/lib/linux-image')));
});

test('maintainer scripts run their hook directory with the release, the image path, DEB_MAINT_PARAMS and INITRD', async () => {
  const postinst = imageMaintainerScript('postinst', '6.12.95', '/boot/vmlinuz-6.12.95', true);
  assert.ok(postinst.startsWith('#!/bin/sh\n'));
  assert.match(postinst, /^set -e$/m);
  assert.match(postinst, /^export DEB_MAINT_PARAMS="\$\*"$/m);
  assert.match(postinst, /^export INITRD=Yes$/m);
  assert.match(
    postinst,
    /^\trun-parts --report --exit-on-error --arg=6\.12\.95 --arg=\/boot\/vmlinuz-6\.12\.95 \/etc\/kernel\/postinst\.d$/m,
  );
  assert.match(
    imageMaintainerScript('prerm', '6.1.0', '/boot/vmlinux-6.1.0', false),
    /^export INITRD=No$[\s\S]*\/etc\/kernel\/prerm\.d$/m,
  );
  // Syntax only: running it would run this machine's own kernel hooks.
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-script-'));
  await writeFile(join(dir, 'postinst'), postinst);
  await run('sh', ['-n', join(dir, 'postinst')]);
});
