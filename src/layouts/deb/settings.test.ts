import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { test } from 'node:test';
import { findArch } from '../../arch/arch-table.js';
import type { ImageContents } from '../../kernel/parts.js';
import { testPackageSet } from '../../testing/package-set.js';
import { KpkgError } from '../../util/errors.js';
import { changelogEntry, docEntries, kernelPackageFields } from './common.js';
import { imagePackage } from './image.js';
import { DEFAULT_DEBIAN_SETTINGS, debianSettings, parallelFromBuildOptions } from './settings.js';

const set = testPackageSet('6.12.95');

test('settings: upstream defaults; an empty value counts as unset; each given value is used', () => {
  assert.deepEqual(debianSettings({}), {
    sourceName: 'linux-upstream',
    distribution: 'unstable',
    urgency: 'low',
    hookDir: '/etc/kernel',
  });
  assert.deepEqual(debianSettings({ sourceName: '', distribution: '', hookDir: '' }), DEFAULT_DEBIAN_SETTINGS);
  assert.deepEqual(
    debianSettings({
      sourceName: 'linux-acme',
      distribution: 'bookworm-backports',
      urgency: 'medium',
      hookDir: '/etc/acme/kernel',
    }),
    {
      sourceName: 'linux-acme',
      distribution: 'bookworm-backports',
      urgency: 'medium',
      hookDir: '/etc/acme/kernel',
    },
  );
});

test('settings that would break the changelog, control file or scripts are usage errors naming the option', () => {
  const refused = (given: Parameters<typeof debianSettings>[0], option: string): void => {
    assert.throws(
      () => debianSettings(given),
      (e: unknown) => e instanceof KpkgError && e.exitCode === 2 && (e.hint ?? '').includes(option),
      JSON.stringify(given),
    );
  };
  refused({ sourceName: 'Linux_Acme' }, '--source-name');
  refused({ sourceName: 'l' }, '--source-name');
  refused({ distribution: 'bookworm; urgency=high' }, '--distribution');
  refused({ distribution: 'two words' }, '--distribution');
  refused({ urgency: 'whenever' }, '--urgency');
  refused({ hookDir: 'etc/kernel' }, '--hook-dir');
  refused({ hookDir: '/etc/kernel; rm -rf /' }, '--hook-dir');
});

test('the changelog and the control fields carry the source name, distribution and urgency', () => {
  const settings = debianSettings({ sourceName: 'linux-acme', distribution: 'bookworm', urgency: 'high' });
  assert.match(
    changelogEntry(set, settings),
    /^linux-acme \(6\.12\.95-1\) bookworm; urgency=high\n\n {2}\* Custom built Linux kernel 6\.12\.95, packaged by kpkg\.\n\n -- .+ <.+> {2}\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000\n$/,
  );
  const arm64 = findArch('arm64');
  assert.ok(arm64 !== undefined);
  assert.equal(kernelPackageFields(set, arm64, 'kernel', settings).source, 'linux-acme');
  const changelog = docEntries('linux-image-6.12.95', set, settings).find((e) =>
    e.path.endsWith('changelog.Debian.gz'),
  );
  assert.ok(changelog?.kind === 'file' && changelog.source.from === 'bytes');
  assert.equal(gunzipSync(changelog.source.data).toString(), changelogEntry(set, settings));
});

test('KDEB_HOOKDIR moves the hook directories and what the maintainer scripts run', () => {
  const arm64 = findArch('arm64');
  assert.ok(arm64 !== undefined);
  const contents: ImageContents = {
    release: '6.12.95',
    bootImage: { source: '/b/Image.gz', size: 1, bootName: 'vmlinuz-6.12.95' },
    systemMap: { source: '/b/System.map', size: 1 },
    config: { source: '/b/.config', size: 1 },
    modules: [],
    dtbs: [],
    initrd: false,
  };
  const pkg = imagePackage(contents, arm64, set, debianSettings({ hookDir: '/etc/acme/kernel' }));
  assert.deepEqual(
    pkg.entries.filter((e) => e.kind === 'dir').map((e) => e.path),
    [
      '/etc/acme/kernel/preinst.d',
      '/etc/acme/kernel/postinst.d',
      '/etc/acme/kernel/prerm.d',
      '/etc/acme/kernel/postrm.d',
    ],
  );
  for (const script of Object.values(pkg.scripts ?? {})) {
    assert.match(script, /run-parts .* \/etc\/acme\/kernel\/(pre|post)(inst|rm)\.d\n/);
    assert.doesNotMatch(script, /\/etc\/kernel\//);
  }
});

test('DEB_BUILD_OPTIONS parallel=N gives --jobs; other words are ignored', () => {
  assert.equal(parallelFromBuildOptions('nocheck parallel=3 terse'), '3');
  assert.equal(parallelFromBuildOptions('parallel=12'), '12');
  assert.equal(parallelFromBuildOptions('nocheck'), undefined);
  assert.equal(parallelFromBuildOptions('parallel=many'), undefined);
  assert.equal(parallelFromBuildOptions(undefined), undefined);
});
