/**
 * Reads a .deb (deb(5)): the ar members debian-binary, control.tar[.gz|.xz|.zst|.bz2] and
 * data.tar[...], in that order; members whose names start with '_' are ignored, as dpkg does.
 * The data tar streams through the collector: nothing is written to disk.
 */
import { createReadStream } from 'node:fs';
import { readAr } from '../archive/ar.js';
import { compressionOfName } from '../archive/compress.js';
import { readTar } from '../archive/tar.js';
import { deb822Paragraphs } from '../util/deb822.js';
import { KpkgError } from '../util/errors.js';
import { decodeName } from '../util/name-bytes.js';
import { MemberCollector } from './collect.js';
import { assertSize, overLimit, READ_LIMITS, withinRelations } from './limits.js';
import { installPath } from './member-path.js';
import type { DebMetadata, ReadPackage } from './model.js';
import { relationNames as debianRelationNames } from '../debian/relations.js';
import { decompressed } from './decompressed.js';
import { addTarEntries } from './tar-members.js';

function unreadable(input: string, message: string): KpkgError {
  return new KpkgError(`${input}: ${message}`, { where: input, exitCode: 2 });
}

/** deb-control(5): "Field: value", continuation lines start with a space or tab. */
export function parseControl(text: string): Map<string, string> {
  return deb822Paragraphs(text)[0] ?? new Map<string, string>();
}

/** The lines of a text, without splitting it into an array first. */
function* linesOf(text: string): Generator<string, void, undefined> {
  for (let at = 0; at < text.length;) {
    const eol = text.indexOf('\n', at);
    const end = eol === -1 ? text.length : eol;
    yield text.slice(at, end);
    at = end + 1;
  }
}

/**
 * md5sums: "<32 hex>  <path relative to />" per line, the paths as bytes (`text` decoded with
 * decodeName, as the members' names are). It lists files, so more lines than a package
 * may have members is over READ_LIMITS.members.
 */
export function parseMd5sums(text: string, where: string): { sums: Map<string, string>; malformed: string[] } {
  const sums = new Map<string, string>();
  const malformed: string[] = [];
  let lines = 0;
  for (const line of linesOf(text)) {
    if (line.trim() === '') continue;
    if (++lines > READ_LIMITS.members) throw overLimit(where, 'members', 'the count of md5sums lines');
    const m = /^([0-9a-fA-F]{32}) [ *](.+)$/.exec(line);
    if (m?.[1] === undefined || m[2] === undefined) {
      malformed.push(line.slice(0, 200));
      continue;
    }
    const path = installPath(m[2], where);
    if (path !== undefined) sums.set(path, m[1].toLowerCase());
  }
  return { sums, malformed };
}

interface ControlContents {
  control?: Map<string, string>;
  md5sums?: Map<string, string>;
  md5sumsMalformed: string[];
  conffiles: Set<string>;
}

async function readControlTar(input: string, member: string, body: AsyncIterable<Buffer>): Promise<ControlContents> {
  const kind = compressionOfName(member);
  if (kind === undefined) throw unreadable(input, `unknown compression of the control member '${member}'`);
  const out: ControlContents = { md5sumsMalformed: [], conffiles: new Set() };
  const where = `${input} ${member}`;
  for await (const entry of readTar(decompressed(kind, body), { where })) {
    if (entry.type !== 'file') continue;
    const name = installPath(entry.name, where);
    if (name === '/control') {
      assertSize(where, 'controlFileBytes', 'the control file', entry.size);
      out.control = parseControl((await entry.bytes(READ_LIMITS.controlFileBytes)).toString('utf8'));
    } else if (name === '/md5sums') {
      assertSize(where, 'md5sumsBytes', 'md5sums', entry.size);
      const text = decodeName(await entry.bytes(READ_LIMITS.md5sumsBytes));
      const parsed = parseMd5sums(text, `${input} md5sums`);
      out.md5sums = parsed.sums;
      out.md5sumsMalformed = parsed.malformed;
    } else if (name === '/conffiles') {
      assertSize(where, 'controlFileBytes', 'conffiles', entry.size);
      for (const line of linesOf(decodeName(await entry.bytes(READ_LIMITS.controlFileBytes)))) {
        // dpkg ≥ 1.20 allows a "remove-on-upgrade" flag before the path.
        const path = line.trim().replace(/^remove-on-upgrade\s+/, '');
        if (path.startsWith('/')) out.conffiles.add(path);
      }
    }
  }
  return out;
}

export async function readDeb(input: string): Promise<ReadPackage> {
  let collector: MemberCollector | undefined;
  let formatVersion: string | undefined;
  let control: ControlContents | undefined;
  let controlMember: string | undefined;
  let dataMember: string | undefined;
  let index = 0;
  for await (const member of readAr(createReadStream(input, { highWaterMark: 1 << 20 }), { where: input })) {
    const position = index++;
    if (member.name.startsWith('_')) continue;
    if (position === 0) {
      if (member.name !== 'debian-binary')
        throw unreadable(input, `not a Debian package: the first ar member is '${member.name}', not 'debian-binary'`);
      formatVersion = (await member.bytes(1024)).toString('latin1').trim();
      if (!/^2\.\d+$/.test(formatVersion))
        throw unreadable(input, `unsupported Debian package format version '${formatVersion}' (expected 2.x)`);
      continue;
    }
    if (member.name.startsWith('control.tar')) {
      if (controlMember !== undefined) throw unreadable(input, 'the package has two control members');
      controlMember = member.name;
      control = await readControlTar(input, member.name, member.body);
      continue;
    }
    if (member.name.startsWith('data.tar')) {
      if (controlMember === undefined)
        throw unreadable(input, `the data member '${member.name}' comes before the control member`);
      if (dataMember !== undefined) throw unreadable(input, 'the package has two data members');
      dataMember = member.name;
      const kind = compressionOfName(member.name);
      if (kind === undefined) throw unreadable(input, `unknown compression of the data member '${member.name}'`);
      // Hash the files only when there are md5sums to compare with.
      collector = new MemberCollector(input, { md5: control?.md5sums !== undefined });
      await addTarEntries(collector, readTar(decompressed(kind, member.body), { where: `${input} ${member.name}` }));
      continue;
    }
    // dpkg-deb stops reading after the data member; before it, anything else is refused.
    if (dataMember !== undefined) continue;
    throw unreadable(
      input,
      `unexpected ar member '${member.name}' (a .deb holds debian-binary, control.tar* and data.tar*)`,
    );
  }
  if (formatVersion === undefined) throw unreadable(input, 'not a Debian package: it has no debian-binary member');
  if (controlMember === undefined || control === undefined)
    throw unreadable(input, 'not a Debian package: it has no control.tar member');
  if (dataMember === undefined || collector === undefined)
    throw unreadable(input, 'not a Debian package: it has no data.tar member');
  const deb: DebMetadata = {
    formatVersion,
    md5sumsMalformed: control.md5sumsMalformed,
    conffiles: control.conffiles,
    dataMember,
    controlMember,
    ...(control.control === undefined ? {} : { control: control.control }),
    ...(control.md5sums === undefined ? {} : { md5sums: control.md5sums }),
  };
  const fields = control.control;
  const name = fields?.get('Package') ?? input;
  const pkg: ReadPackage = { input, format: 'deb', name, members: collector.members, deb };
  pkg.requires = withinRelations(
    `${input} control`,
    [...debianRelationNames(fields?.get('Pre-Depends')), ...debianRelationNames(fields?.get('Depends'))],
    'Pre-Depends and Depends relations',
  );
  // What kpkg writes into every package's changelog (src/layouts/deb/common.ts).
  const changelog = collector.members.find((m) => m.path === `/usr/share/doc/${name}/changelog.Debian.gz`);
  pkg.byKpkg = changelog?.text?.includes(', packaged by kpkg.') === true;
  const version = fields?.get('Version');
  if (version !== undefined) pkg.version = version;
  const arch = fields?.get('Architecture');
  if (arch !== undefined) {
    pkg.arch = arch;
    pkg.archSource = 'control field Architecture';
  }
  return pkg;
}
