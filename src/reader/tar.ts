/**
 * Reads a tar archive, plain or compressed (gzip, xz, zstd, bzip2): a plain tarball of an
 * installed tree, or an Arch Linux package (.pkg.tar.zst / .pkg.tar.xz), which is a tarball with
 * metadata files (.PKGINFO, .BUILDINFO, .MTREE, .INSTALL) at its root.
 */
import { createReadStream } from 'node:fs';
import type { DecompressionKind } from '../archive/compress.js';
import { readTar, type TarReadEntry } from '../archive/tar.js';
import { MemberCollector } from './collect.js';
import { assertSize, READ_LIMITS, withinRelations } from './limits.js';
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
    const values = fields.get(m[1]);
    if (values === undefined) fields.set(m[1], [m[2].trim()]);
    else values.push(m[2].trim());
  }
  return fields;
}

function baseName(input: string): string {
  return input.replace(/\/+$/, '').split('/').pop() ?? input;
}

/** A .PKGINFO or .BUILDINFO's "key = value" lines, refused over READ_LIMITS.controlFileBytes. */
async function pacmanValues(input: string, entry: TarReadEntry, path: string): Promise<Map<string, string[]>> {
  assertSize(input, 'controlFileBytes', path.slice(1), entry.size);
  return parsePkginfoValues((await entry.bytes(READ_LIMITS.controlFileBytes)).toString('utf8'));
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
        const values = await pacmanValues(input, entry, path);
        pkginfo = new Map([...values].map(([key, v]) => [key, v[0] ?? '']));
        depends = withinRelations(`${input} .PKGINFO`, values.get('depend') ?? [], 'depend lines');
      }
      if (path === '/.BUILDINFO' && entry.type === 'file')
        buildTools = (await pacmanValues(input, entry, path)).get('buildtool') ?? [];
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
