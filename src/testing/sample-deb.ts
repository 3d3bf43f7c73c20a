/**
 * Test helper (not used by kpkg itself): the synthetic package the deb writer's tests write — a
 * program, a symlink, docs, an empty file, a path longer than ustar allows, a directory and a
 * postinst — unsorted and without parent directories, so the writer completes and orders them.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { PackageDescription, PackageEntry } from '../package/model.js';

export const MTIME = 1700000000;
export const env = { ...process.env, TZ: 'UTC', LC_ALL: 'C', SOURCE_DATE_EPOCH: String(MTIME) };
const HEADERS = '/usr/src/linux-headers-6.12.95+bpo-arm64';
export const LONG = `${HEADERS}/${'d'.repeat(120)}/${'e'.repeat(150)}/deep.h`;
export const postinst = '#!/bin/sh\nset -e\nif [ "$1" = configure ]; then\n  echo configured\nfi\n';
export const toolBytes = Buffer.from(Array.from({ length: 70000 }, (_, i) => (i * 31) % 256));

/** A file entry at `path` whose contents are the file `from` on disk. */
export async function diskEntry(path: string, from: string, mode = 0o644): Promise<PackageEntry> {
  return { kind: 'file', path, mode, size: (await stat(from)).size, source: { from: 'disk', path: from } };
}

/** Writes the package's source files into `work`/src and returns its description. */
export async function samplePackage(work: string): Promise<PackageDescription> {
  const src = join(work, 'src');
  await mkdir(src);
  await writeFile(
    join(src, 'copyright'),
    'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: 2024 Kpkg Test\nLicense: GPL-2\n On Debian systems, the full text of the GNU General Public License version 2\n can be found in the file /usr/share/common-licenses/GPL-2.\n',
  );
  await writeFile(join(src, 'tool'), toolBytes);
  await writeFile(join(src, 'deep.h'), '#define DEEP 1\n');
  const changelog = gzipSync(
    'kpkg-test (1.0-1) unstable; urgency=low\n\n  * Test.\n\n -- Kpkg Test <kpkg@example.org>  Tue, 14 Nov 2023 22:13:20 +0000\n',
    { level: 9 },
  );
  // Unsorted and without parent directories on purpose: the writer completes and orders them.
  const entries: PackageEntry[] = [
    { kind: 'symlink', path: '/usr/lib/kpkg-test/link', target: 'tool' },
    await diskEntry('/usr/lib/kpkg-test/tool', join(src, 'tool'), 0o755),
    await diskEntry('/usr/share/doc/kpkg-test/copyright', join(src, 'copyright')),
    {
      kind: 'file',
      path: '/usr/share/doc/kpkg-test/changelog.Debian.gz',
      mode: 0o644,
      size: changelog.length,
      source: { from: 'bytes', data: changelog },
    },
    {
      kind: 'file',
      path: '/usr/lib/kpkg-test/empty',
      mode: 0o644,
      size: 0,
      source: { from: 'bytes', data: new Uint8Array(0) },
    },
    await diskEntry(LONG, join(src, 'deep.h')),
    { kind: 'dir', path: '/etc/kpkg-test.d', mode: 0o755 },
  ];
  return {
    name: 'kpkg-test',
    version: '1.0-1',
    arch: 'all',
    summary: 'synthetic package written by kpkg tests',
    description: 'Checks that the deb writer produces what dpkg-deb produces.\n\nSecond paragraph.',
    maintainer: 'Kpkg Test <kpkg@example.org>',
    section: 'kernel',
    priority: 'optional',
    homepage: 'https://example.org/kpkg',
    depends: [
      { name: 'kmod' },
      [{ name: 'initramfs-tools', version: { op: '>=', version: '0.120' } }, { name: 'linux-initramfs-tool' }],
    ],
    scripts: { postinst },
    entries,
    mtime: MTIME,
  };
}
