import { lstat, readlink } from 'node:fs/promises';

const MAX_SYMLINKS = 40;

/**
 * The host path of `path` as a process chrooted into `root` would see it: every symlink is
 * followed inside root (an absolute target starts again at root, ".." never climbs above it).
 * Components that do not exist are kept as they are. Returns root-relative components joined
 * onto root, free of symlinks, so it is safe to open from the host.
 */
export async function resolveInRoot(root: string, path: string): Promise<string> {
  const rootDir = root.replace(/\/+$/, '');
  const pending = path.split('/').filter((c) => c !== '' && c !== '.');
  const resolved: string[] = [];
  let links = 0;
  for (let component = pending.shift(); component !== undefined; component = pending.shift()) {
    if (component === '..') {
      resolved.pop();
      continue;
    }
    const candidate = `${rootDir}/${[...resolved, component].join('/')}`;
    let isLink = false;
    try {
      isLink = (await lstat(candidate)).isSymbolicLink();
    } catch {
      // missing: keep the name, the caller finds out when it opens the path
    }
    if (!isLink) {
      resolved.push(component);
      continue;
    }
    if (++links > MAX_SYMLINKS) throw new Error(`too many levels of symbolic links in ${path} under ${root}`);
    const target = await readlink(candidate);
    if (target.startsWith('/')) resolved.length = 0;
    pending.unshift(...target.split('/').filter((c) => c !== '' && c !== '.'));
  }
  return `${rootDir}/${resolved.join('/')}`;
}
