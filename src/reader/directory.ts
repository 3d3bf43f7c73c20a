/**
 * Reads a directory as an installed tree: the directory is '/', and every file below it is a
 * member. Symlinks are recorded, never followed, so a link pointing out of the tree is only
 * looked at, not walked into. Names are read as bytes (Buffer paths), so a name that is not UTF-8
 * is opened as it is and becomes a member named with decodeName (util/name-bytes.ts).
 */
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { decodeName, encodeName } from '../util/name-bytes.js';
import { IO_PARALLELISM, mapLimit } from '../util/pool.js';
import { MemberCollector, type RawMember } from './collect.js';
import { overLimit, READ_LIMITS } from './limits.js';
import type { ReadPackage } from './model.js';

/** Files up to this size are read with one call; bigger ones stream. */
const READ_WHOLE = 1024 * 1024;

interface Found {
  /** The file's path below the root, its name bytes as they are. */
  relative: Buffer;
  raw: RawMember;
}

const SLASH = Buffer.from('/');

/** `dir`/`name` as bytes; `dir` empty for the root. */
function below(dir: Buffer, name: Buffer): Buffer {
  return dir.length === 0 ? name : Buffer.concat([dir, SLASH, name]);
}

/** The byte order of the names in a directory (what sort(1) does under LC_ALL=C). */
function byBytes(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b);
}

async function walk(input: string, root: Buffer): Promise<Found[]> {
  const found: Found[] = [];
  const pending: Buffer[] = [Buffer.alloc(0)];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    const names = (await readdir(below(root, dir), { encoding: 'buffer' })).sort(byBytes);
    const stats = await mapLimit(names, IO_PARALLELISM, async (nameBytes) => {
      const relative = below(dir, nameBytes);
      return { relative, stat: await lstat(below(root, relative)) };
    });
    if (found.length + stats.length > READ_LIMITS.members) throw overLimit(input, 'members', 'the count of files');
    for (const { relative, stat } of stats) {
      const mode = stat.mode & 0o7777;
      const name = decodeName(relative);
      if (stat.isDirectory()) {
        found.push({ relative, raw: { name, type: 'dir', size: 0, mode } });
        pending.push(relative);
      } else if (stat.isSymbolicLink()) {
        const link = decodeName(await readlink(below(root, relative), { encoding: 'buffer' }));
        found.push({ relative, raw: { name, type: 'symlink', size: 0, mode, link } });
      } else if (stat.isFile()) {
        found.push({ relative, raw: { name, type: 'file', size: stat.size, mode } });
      } else {
        found.push({ relative, raw: { name, type: 'other', size: 0, mode } });
      }
    }
  }
  return found;
}

async function* contents(path: Buffer, size: number): AsyncGenerator<Buffer, void, undefined> {
  if (size <= READ_WHOLE) {
    yield await readFile(path);
    return;
  }
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
}

export async function readDirectory(input: string): Promise<ReadPackage> {
  const collector = new MemberCollector(input, { md5: false });
  const root = encodeName(input);
  const found = await walk(input, root);
  await mapLimit(found, 8, async ({ relative, raw }) => {
    await collector.add(raw, raw.type === 'file' ? contents(below(root, relative), raw.size) : undefined);
  });
  collector.members.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    input,
    format: 'directory',
    name: input.replace(/\/+$/, '').split('/').pop() ?? input,
    members: collector.members,
  };
}
