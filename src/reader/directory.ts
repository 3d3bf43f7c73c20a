/**
 * Reads a directory as an installed tree: the directory is '/', and every file below it is a
 * member. Symlinks are recorded, never followed, so a link pointing out of the tree is only
 * looked at, not walked into.
 */
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { IO_PARALLELISM, mapLimit } from '../util/pool.js';
import { MemberCollector, type RawMember } from './collect.js';
import { overLimit, READ_LIMITS } from './limits.js';
import type { ReadPackage } from './model.js';

/** Files up to this size are read with one call; bigger ones stream. */
const READ_WHOLE = 1024 * 1024;

interface Found {
  relative: string;
  raw: RawMember;
}

async function walk(root: string): Promise<Found[]> {
  const found: Found[] = [];
  const pending = [''];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    const names = (await readdir(join(root, dir))).sort();
    const stats = await mapLimit(names, IO_PARALLELISM, async (name) => {
      const relative = dir === '' ? name : `${dir}/${name}`;
      return { relative, stat: await lstat(join(root, relative)) };
    });
    if (found.length + stats.length > READ_LIMITS.members) throw overLimit(root, 'members', 'the count of files');
    for (const { relative, stat } of stats) {
      const mode = stat.mode & 0o7777;
      if (stat.isDirectory()) {
        found.push({ relative, raw: { name: relative, type: 'dir', size: 0, mode } });
        pending.push(relative);
      } else if (stat.isSymbolicLink()) {
        found.push({
          relative,
          raw: { name: relative, type: 'symlink', size: 0, mode, link: await readlink(join(root, relative)) },
        });
      } else if (stat.isFile()) {
        found.push({ relative, raw: { name: relative, type: 'file', size: stat.size, mode } });
      } else {
        found.push({ relative, raw: { name: relative, type: 'other', size: 0, mode } });
      }
    }
  }
  return found;
}

async function* contents(path: string, size: number): AsyncGenerator<Buffer, void, undefined> {
  if (size <= READ_WHOLE) {
    yield await readFile(path);
    return;
  }
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
}

export async function readDirectory(input: string): Promise<ReadPackage> {
  const collector = new MemberCollector(input, { md5: false });
  const found = await walk(input);
  await mapLimit(found, 8, async ({ relative, raw }) => {
    await collector.add(raw, raw.type === 'file' ? contents(join(input, relative), raw.size) : undefined);
  });
  collector.members.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    input,
    format: 'directory',
    name: input.replace(/\/+$/, '').split('/').pop() ?? input,
    members: collector.members,
  };
}
