import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { deb822Paragraphs } from '../../util/deb822.js';
import type { PackageDescription } from '../../package/model.js';
import type { BuildRecord, SetDescription } from '../../package/upload.js';
import { debUploadFiles } from './upload-files.js';

const set: SetDescription = {
  source: 'linux-upstream',
  version: '6.12.95-1',
  distribution: 'bookworm',
  urgency: 'low',
  maintainer: 'Kpkg Test <kpkg@example.org>',
  changes:
    'linux-upstream (6.12.95-1) bookworm; urgency=low\n\n  * Custom built Linux kernel 6.12.95, packaged by kpkg.\n\n -- Kpkg Test <kpkg@example.org>  Tue, 14 Nov 2023 22:13:20 +0000\n',
  mtime: 1700000000,
  section: 'kernel',
  priority: 'optional',
};

const build: BuildRecord = {
  arch: 'amd64',
  origin: 'Debian',
  installed: [
    { name: 'gcc-12-aarch64-linux-gnu', arch: 'amd64', version: '12.2.0-14cross1' },
    { name: 'libc6-arm64-cross', arch: 'all', version: '2.36-8cross1' },
    { name: 'libelf-dev', arch: 'arm64', version: '0.188-2.1' },
  ],
  environment: [
    ['DEB_BUILD_OPTIONS', 'parallel=2'],
    ['LANG', 'C "quoted"'],
  ],
};

function description(name: string, summary: string, section: string): PackageDescription {
  return {
    name,
    version: '6.12.95-1',
    arch: 'arm64',
    summary,
    description: summary,
    maintainer: set.maintainer,
    section,
    priority: 'optional',
    entries: [],
    mtime: set.mtime,
  };
}

test('.buildinfo and .changes of a binary upload: fields in dpkg order, every file with its sizes and sums', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-upload-'));
  try {
    const image = join(dir, 'image.deb');
    const dbg = join(dir, 'dbg.deb');
    await writeFile(image, 'image bytes');
    await writeFile(dbg, 'debug bytes, more of them');
    const files = await debUploadFiles(
      set,
      [
        {
          description: description('linux-image-6.12.95-dbg', 'Linux kernel debugging symbols for 6.12.95', 'debug'),
          path: dbg,
          fileName: 'linux-image-6.12.95-dbg_6.12.95-1_arm64.deb',
        },
        {
          description: description('linux-image-6.12.95', 'Linux kernel, version 6.12.95', 'kernel'),
          path: image,
          fileName: 'linux-image-6.12.95_6.12.95-1_arm64.deb',
        },
      ],
      build,
    );
    assert.deepEqual(
      files.map((f) => f.name),
      ['linux-upstream_6.12.95-1_arm64.buildinfo', 'linux-upstream_6.12.95-1_arm64.changes'],
    );
    const [buildinfo, changes] = files.map((f) => new TextDecoder().decode(f.data));
    assert.ok(buildinfo !== undefined && changes !== undefined && files[0] !== undefined);
    const sha256 = (text: string | Uint8Array): string => createHash('sha256').update(text).digest('hex');
    const md5 = (text: string | Uint8Array): string => createHash('md5').update(text).digest('hex');

    const info = deb822Paragraphs(buildinfo);
    assert.equal(info.length, 1);
    assert.deepEqual(
      [...(info[0]?.keys() ?? [])],
      [
        'Format',
        'Source',
        'Binary',
        'Architecture',
        'Version',
        'Checksums-Md5',
        'Checksums-Sha1',
        'Checksums-Sha256',
        'Build-Origin',
        'Build-Architecture',
        'Build-Date',
        'Installed-Build-Depends',
        'Environment',
      ],
    );
    assert.equal(info[0]?.get('Binary'), 'linux-image-6.12.95 linux-image-6.12.95-dbg');
    assert.equal(info[0]?.get('Build-Date'), 'Tue, 14 Nov 2023 22:13:20 +0000');
    assert.match(
      buildinfo,
      new RegExp(
        `\nChecksums-Sha256:\n ${sha256('debug bytes, more of them')} 25 linux-image-6.12.95-dbg_6.12.95-1_arm64.deb\n ${sha256('image bytes')} 11 linux-image-6.12.95_6.12.95-1_arm64.deb\n`,
      ),
    );
    // Packages of the build machine's architecture or 'all' are not qualified; others are.
    assert.match(
      buildinfo,
      /\nInstalled-Build-Depends:\n gcc-12-aarch64-linux-gnu \(= 12\.2\.0-14cross1\),\n libc6-arm64-cross \(= 2\.36-8cross1\),\n libelf-dev:arm64 \(= 0\.188-2\.1\)\n/,
    );
    assert.match(buildinfo, /\nEnvironment:\n DEB_BUILD_OPTIONS="parallel=2"\n LANG="C \\"quoted\\""\n$/);

    const fields = deb822Paragraphs(changes)[0];
    assert.deepEqual(
      [...(fields?.keys() ?? [])],
      [
        'Format',
        'Date',
        'Source',
        'Binary',
        'Architecture',
        'Version',
        'Distribution',
        'Urgency',
        'Maintainer',
        'Changed-By',
        'Description',
        'Changes',
        'Checksums-Sha1',
        'Checksums-Sha256',
        'Files',
      ],
    );
    assert.equal(fields?.get('Format'), '1.8');
    assert.equal(fields?.get('Distribution'), 'bookworm');
    assert.equal(
      fields?.get('Description'),
      '\nlinux-image-6.12.95 - Linux kernel, version 6.12.95\nlinux-image-6.12.95-dbg - Linux kernel debugging symbols for 6.12.95',
    );
    // The changelog entry without its trailer, empty lines as ".".
    assert.match(
      changes,
      /\nChanges:\n linux-upstream \(6\.12\.95-1\) bookworm; urgency=low\n \.\n {3}\* Custom built Linux kernel 6\.12\.95, packaged by kpkg\.\nChecksums-Sha1:\n/,
    );
    // Files: each package with its own section, the .buildinfo with the source's.
    assert.match(
      changes,
      new RegExp(
        `\nFiles:\n ${md5('debug bytes, more of them')} 25 debug optional linux-image-6.12.95-dbg_6.12.95-1_arm64.deb\n ${md5('image bytes')} 11 kernel optional linux-image-6.12.95_6.12.95-1_arm64.deb\n ${md5(files[0].data)} ${files[0].data.length} kernel optional linux-upstream_6.12.95-1_arm64.buildinfo\n$`,
      ),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
