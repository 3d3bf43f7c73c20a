/**
 * Reads a tar archive, plain or compressed (gzip, xz, zstd, bzip2): a plain tarball of an
 * installed tree, or an Arch Linux package (.pkg.tar.zst / .pkg.tar.xz), which is a tarball with
 * metadata files (.PKGINFO, .BUILDINFO, .MTREE, .INSTALL) at its root.
 */
import { createReadStream } from 'node:fs';
import type { DecompressionKind } from '../../archive/compress.js';
import { readTar } from '../../archive/tar.js';
import { MemberCollector } from '../collect.js';
import { installPath } from '../member-path.js';
import type { ReadPackage } from '../model.js';
import { decompressed } from './decompressed.js';
import { addTarEntry } from './tar-members.js';

/** Root files of a pacman package that describe it and are not installed (makepkg, PKGBUILD(5)). */
const PACMAN_METADATA = new Set(['/.PKGINFO', '/.BUILDINFO', '/.MTREE', '/.INSTALL', '/.CHANGELOG']);

/** .PKGINFO: "key = value" lines (repeated keys such as depend keep their first value here). */
export function parsePkginfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([A-Za-z0-9_]+) = (.*)$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined && !fields.has(m[1])) fields.set(m[1], m[2].trim());
  }
  return fields;
}

function baseName(input: string): string {
  return input.replace(/\/+$/, '').split('/').pop() ?? input;
}

export async function readTarball(input: string, compression: DecompressionKind): Promise<ReadPackage> {
  const collector = new MemberCollector(input, { md5: false });
  let pkginfo: Map<string, string> | undefined;
  const source = createReadStream(input, { highWaterMark: 1 << 20 });
  for await (const entry of readTar(decompressed(compression, source), { where: input })) {
    const path = installPath(entry.name, input);
    if (path !== undefined && PACMAN_METADATA.has(path)) {
      if (path === '/.PKGINFO' && entry.type === 'file') pkginfo = parsePkginfo((await entry.bytes(16 * 1024 * 1024)).toString('utf8'));
      continue;
    }
    await addTarEntry(collector, entry);
  }
  if (pkginfo === undefined) return { input, format: 'tar', name: baseName(input), members: collector.members };
  const pkg: ReadPackage = { input, format: 'pacman', name: pkginfo.get('pkgname') ?? baseName(input), members: collector.members };
  const version = pkginfo.get('pkgver');
  if (version !== undefined) pkg.version = version;
  const arch = pkginfo.get('arch');
  if (arch !== undefined) {
    pkg.arch = arch;
    pkg.archSource = '.PKGINFO arch';
  }
  return pkg;
}
