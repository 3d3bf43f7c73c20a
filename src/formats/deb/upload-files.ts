/**
 * The .buildinfo (deb-buildinfo(5), Format 1.0) and .changes (deb-changes(5), Format 1.8) of a
 * binary-only upload, with the fields in the order dpkg-genbuildinfo and dpkg-genchanges write
 * them: what dput, dcmd, lintian, reprepro and dak read to put the set into a repository.
 * Unsigned: signing is the uploader's step (debsign).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { BuildRecord, SetDescription, SetFile, SetMember } from '../../package/upload.js';
import { rfcDate } from '../../util/rfc-date.js';

interface FileSums {
  name: string;
  size: number;
  md5: string;
  sha1: string;
  sha256: string;
  section: string;
  priority: string;
}

async function sumsOfFile(path: string): Promise<{ size: number; md5: string; sha1: string; sha256: string }> {
  const hashes = [createHash('md5'), createHash('sha1'), createHash('sha256')] as const;
  let size = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    size += chunk.length;
    for (const h of hashes) h.update(chunk);
  }
  const [md5, sha1, sha256] = hashes.map((h) => h.digest('hex')) as [string, string, string];
  return { size, md5, sha1, sha256 };
}

function sumsOfBytes(data: Uint8Array): { size: number; md5: string; sha1: string; sha256: string } {
  const hex = (algorithm: string): string => createHash(algorithm).update(data).digest('hex');
  return { size: data.length, md5: hex('md5'), sha1: hex('sha1'), sha256: hex('sha256') };
}

/** A multi-line field: the name alone on its line, every value line indented by one space. */
function multiline(field: string, lines: readonly string[]): string {
  return `${field}:\n${lines.map((l) => ` ${l}`).join('\n')}`;
}

function checksumFields(files: readonly FileSums[], which: readonly ('md5' | 'sha1' | 'sha256')[]): string[] {
  const title = { md5: 'Checksums-Md5', sha1: 'Checksums-Sha1', sha256: 'Checksums-Sha256' } as const;
  return which.map((algorithm) =>
    multiline(
      title[algorithm],
      files.map((f) => `${f[algorithm]} ${f.size} ${f.name}`),
    ),
  );
}

/** The architectures of the packages, sorted. */
function uploadArch(members: readonly SetMember[]): string[] {
  return [...new Set(members.map((m) => m.description.arch))].sort();
}

/** "name:arch (= version)"; the arch only for packages of another architecture than the build machine's. */
function installedRelation(p: { name: string; arch: string; version: string }, buildArch: string): string {
  return `${p.name}${p.arch === 'all' || p.arch === buildArch ? '' : `:${p.arch}`} (= ${p.version})`;
}

function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

export function buildinfoText(
  set: SetDescription,
  files: readonly FileSums[],
  binaries: readonly string[],
  arches: readonly string[],
  build: BuildRecord,
): string {
  const fields = [
    'Format: 1.0',
    `Source: ${set.source}`,
    `Binary: ${binaries.join(' ')}`,
    `Architecture: ${arches.join(' ')}`,
    `Version: ${set.version}`,
    ...checksumFields(files, ['md5', 'sha1', 'sha256']),
    ...(build.origin === undefined ? [] : [`Build-Origin: ${build.origin}`]),
    `Build-Architecture: ${build.arch}`,
    // The set's time stamp (SOURCE_DATE_EPOCH or the tree's), not the clock: the set stays reproducible.
    `Build-Date: ${rfcDate(set.mtime)}`,
    ...(build.installed.length === 0
      ? []
      : [
          multiline(
            'Installed-Build-Depends',
            build.installed.map(
              (p, i) => `${installedRelation(p, build.arch)}${i < build.installed.length - 1 ? ',' : ''}`,
            ),
          ),
        ]),
    ...(build.environment.length === 0
      ? []
      : [
          multiline(
            'Environment',
            build.environment.map(([name, value]) => `${name}=${quoted(value)}`),
          ),
        ]),
  ];
  return `${fields.join('\n')}\n`;
}

/** The changelog entry without its trailer line, as the Changes field holds it: empty lines become ".". */
function changesLines(entry: string): string[] {
  const lines = entry.split('\n');
  const trailer = lines.findIndex((l) => l.startsWith(' -- '));
  const body = (trailer === -1 ? lines : lines.slice(0, trailer)).map((l) => l.trimEnd());
  while (body.length > 0 && body[body.length - 1] === '') body.pop();
  return body.map((l) => (l === '' ? '.' : l));
}

export function changesText(
  set: SetDescription,
  members: readonly SetMember[],
  files: readonly FileSums[],
  arches: readonly string[],
): string {
  const descriptions = [...members]
    .sort((a, b) => (a.description.name < b.description.name ? -1 : 1))
    .map((m) => `${m.description.name} - ${m.description.summary}`);
  const fields = [
    'Format: 1.8',
    `Date: ${rfcDate(set.mtime)}`,
    `Source: ${set.source}`,
    `Binary: ${members
      .map((m) => m.description.name)
      .sort()
      .join(' ')}`,
    `Architecture: ${arches.join(' ')}`,
    `Version: ${set.version}`,
    `Distribution: ${set.distribution}`,
    `Urgency: ${set.urgency}`,
    `Maintainer: ${set.maintainer}`,
    `Changed-By: ${set.maintainer}`,
    multiline('Description', descriptions),
    multiline('Changes', changesLines(set.changes)),
    ...checksumFields(files, ['sha1', 'sha256']),
    multiline(
      'Files',
      files.map((f) => `${f.md5} ${f.size} ${f.section} ${f.priority} ${f.name}`),
    ),
  ];
  return `${fields.join('\n')}\n`;
}

/** <source>_<version without epoch>_<arch> */
export function uploadBaseName(set: SetDescription, arches: readonly string[]): string {
  const arch = arches.filter((a) => a !== 'all').join('+') || 'all';
  return `${set.source}_${set.version.replace(/^\d+:/, '')}_${arch}`;
}

/** The .buildinfo and .changes of the written packages (read once more for their MD5 and SHA-1). */
export async function debUploadFiles(
  set: SetDescription,
  members: readonly SetMember[],
  build: BuildRecord,
): Promise<SetFile[]> {
  const sorted = [...members].sort((a, b) => (a.fileName < b.fileName ? -1 : 1));
  const debs: FileSums[] = [];
  for (const m of sorted) {
    debs.push({
      name: m.fileName,
      ...(await sumsOfFile(m.path)),
      section: m.description.section ?? set.section,
      priority: m.description.priority ?? set.priority,
    });
  }
  const arches = uploadArch(members);
  const base = uploadBaseName(set, arches);
  const binaries = members.map((m) => m.description.name).sort();
  const buildinfo = new TextEncoder().encode(buildinfoText(set, debs, binaries, arches, build));
  const buildinfoSums: FileSums = {
    name: `${base}.buildinfo`,
    ...sumsOfBytes(buildinfo),
    section: set.section,
    priority: set.priority,
  };
  const changes = new TextEncoder().encode(changesText(set, members, [...debs, buildinfoSums], arches));
  return [
    { name: buildinfoSums.name, data: buildinfo },
    { name: `${base}.changes`, data: changes },
  ];
}
