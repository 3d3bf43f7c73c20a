/**
 * Reads a tar archive, plain or compressed (gzip, xz, zstd, bzip2): a plain tarball of an
 * installed tree, or an Arch Linux package (.pkg.tar.zst / .pkg.tar.xz), which is a tarball with
 * metadata files (.PKGINFO, .BUILDINFO, .MTREE, .INSTALL) at its root.
 */
import { createReadStream } from 'node:fs';
import type { DecompressionKind } from '../archive/compress.js';
import { readTar } from '../archive/tar.js';
import { MemberCollector } from './collect.js';
import { installPath } from './member-path.js';
import type { ReadPackage } from './model.js';
import { decompressed } from './decompressed.js';
import { addTarEntry } from './tar-members.js';
import { pacmanRelationName } from './relations.js';

/** Root files of a pacman package that describe it and are not installed (makepkg, PKGBUILD(5)). */
const PACMAN_METADATA = new Set(['/.PKGINFO', '/.BUILDINFO', '/.MTREE', '/.INSTALL', '/.CHANGELOG']);

/** .PKGINFO and .BUILDINFO: "key = value" lines; keys such as depend repeat. */
export function parsePkginfoValues(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([A-Za-z0-9_]+) = (.*)$/.exec(line);
    if (m?.[1] === undefined || m[2] === undefined) continue;
    fields.set(m[1], [...(fields.get(m[1]) ?? []), m[2].trim()]);
  }
  return fields;
}

function baseName(input: string): string {
  return input.replace(/\/+$/, '').split('/').pop() ?? input;
}

export async function readTarPackage(input: string, compression: DecompressionKind): Promise<ReadPackage> {
  const collector = new MemberCollector(input, { md5: false });
  let pkginfo: Map<string, string> | undefined;
  let depends: string[] = [];
  let buildTools: string[] = [];
  const source = createReadStream(input, { highWaterMark: 1 << 20 });
  for await (const entry of readTar(decompressed(compression, source), { where: input })) {
    const path = installPath(entry.name, input);
    if (path !== undefined && PACMAN_METADATA.has(path)) {
      if (path === '/.PKGINFO' && entry.type === 'file') {
        const values = parsePkginfoValues((await entry.bytes(16 * 1024 * 1024)).toString('utf8'));
        pkginfo = new Map([...values].map(([key, v]) => [key, v[0] ?? '']));
        depends = values.get('depend') ?? [];
      }
      if (path === '/.BUILDINFO' && entry.type === 'file')
        buildTools = parsePkginfoValues((await entry.bytes(16 * 1024 * 1024)).toString('utf8')).get('buildtool') ?? [];
      continue;
    }
    await addTarEntry(collector, entry);
  }
  if (pkginfo === undefined) return { input, format: 'tar', name: baseName(input), members: collector.members };
  const pkg: ReadPackage = {
    input,
    format: 'pacman',
    name: pkginfo.get('pkgname') ?? baseName(input),
    members: collector.members,
  };
  pkg.requires = depends.map((d) => [pacmanRelationName(d)]);
  pkg.byKpkg = buildTools.includes('kpkg');
  const version = pkginfo.get('pkgver');
  if (version !== undefined) pkg.version = version;
  const arch = pkginfo.get('arch');
  if (arch !== undefined) {
    pkg.arch = arch;
    pkg.archSource = '.PKGINFO arch';
  }
  return pkg;
}
