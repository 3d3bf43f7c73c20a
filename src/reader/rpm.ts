/** Reads an .rpm: metadata from its header, members from its cpio payload, streamed. */
import { createReadStream } from 'node:fs';
import { readCpio } from '../archive/cpio.js';
import { openRpm, RPMTAG } from '../archive/rpm.js';
import type { RpmDigestVerdicts } from '../archive/rpm-digests.js';
import { BUILDHOST } from '../formats/rpm/metadata.js';
import { decodeName } from '../util/name-bytes.js';
import { MemberCollector } from './collect.js';
import { withinRelations } from './limits.js';
import type { Member, ReadPackage } from './model.js';
import { decompressed } from './decompressed.js';

export async function readRpm(input: string): Promise<ReadPackage> {
  const rpm = await openRpm(createReadStream(input, { highWaterMark: 1 << 20 }), { where: input });
  const collector = new MemberCollector(input, { md5: false });
  // newc hard links share an inode; only the last of them carries the data (rpm's lib/fsm.c).
  const emptyLinks = new Map<number, Member[]>();
  let digests: RpmDigestVerdicts;
  try {
    for await (const entry of readCpio(decompressed(rpm.payloadCompression, rpm.payload), {
      where: `${input} payload`,
    })) {
      const isSymlink = entry.type === 'symlink';
      // A symlink's target is its data; at most PATH_MAX, anything longer is refused by bytes().
      const link = isSymlink ? decodeName(await entry.bytes(4096)) : undefined;
      const member = await collector.add(
        {
          name: entry.name,
          type: entry.type,
          size: entry.type === 'file' ? entry.size : 0,
          mode: entry.mode & 0o7777,
          ...(link === undefined ? {} : { link }),
        },
        entry.type === 'file' ? entry.body : undefined,
      );
      if (member === undefined || entry.type !== 'file' || entry.nlink < 2) continue;
      if (entry.size === 0) {
        const links = emptyLinks.get(entry.ino);
        if (links === undefined) emptyLinks.set(entry.ino, [member]);
        else links.push(member);
      } else {
        for (const earlier of emptyLinks.get(entry.ino) ?? []) {
          earlier.type = 'hardlink';
          earlier.link = member.path;
        }
        emptyLinks.delete(entry.ino);
      }
    }
    digests = await rpm.digests();
  } finally {
    await rpm.close();
  }
  const header = rpm.header;
  const name = header.string(RPMTAG.NAME) ?? input;
  const version = header.string(RPMTAG.VERSION);
  const release = header.string(RPMTAG.RELEASE);
  const epoch = header.has(RPMTAG.EPOCH) ? header.numbers(RPMTAG.EPOCH)?.[0] : undefined;
  const pkg: ReadPackage = { input, format: 'rpm', name, members: collector.members, rpm: { digests } };
  // rpmlib(...) requires are rpm's own features, not packages.
  const requires = (header.strings(RPMTAG.REQUIRENAME) ?? []).filter((r) => !r.startsWith('rpmlib('));
  pkg.requires = withinRelations(`${input} header`, requires, 'REQUIRENAME entries').map((r) => [r]);
  pkg.byKpkg = header.string(RPMTAG.BUILDHOST) === BUILDHOST;
  if (version !== undefined)
    pkg.version = `${epoch === undefined ? '' : `${epoch}:`}${version}${release === undefined ? '' : `-${release}`}`;
  const arch = header.string(RPMTAG.ARCH);
  if (arch !== undefined) {
    pkg.arch = arch;
    pkg.archSource = 'rpm header ARCH';
  }
  return pkg;
}
