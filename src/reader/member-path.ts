import { KpkgError } from '../util/errors.js';

/**
 * The install path of an archive member: "./usr/src/x/" → "/usr/src/x". A leading '/' is dropped
 * as GNU tar and dpkg do. A '..' component is refused: nothing is extracted here, but such a
 * name is the mark of an archive built to write outside the target directory, and its other
 * paths cannot be trusted either. Returns undefined for the archive root itself ("./").
 */
export function installPath(name: string, where: string): string | undefined {
  if (name.includes('\0')) throw hostileName(name, where, 'contains a NUL byte');
  // The usual "./usr/src/x" (called for every member): no '.' or '..' components, no '//'.
  const bare = name.startsWith('./') ? name.slice(2) : name.startsWith('/') ? name.slice(1) : name;
  if (bare !== '' && !bare.startsWith('/') && !bare.startsWith('.') && !bare.includes('/.') && !bare.includes('//')) {
    return `/${bare.endsWith('/') ? bare.slice(0, -1) : bare}`;
  }
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') throw hostileName(name, where, "has a '..' component that would escape the install root");
    parts.push(part);
  }
  return parts.length === 0 ? undefined : `/${parts.join('/')}`;
}

function hostileName(name: string, where: string, why: string): KpkgError {
  return new KpkgError(`${where}: member name ${JSON.stringify(name)} ${why}; refusing the package`, {
    where,
    exitCode: 2,
  });
}

/** '/a/b/c' → '/a/b'; '/a' → '/'. */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

/** '/a/b' + 'c/d' → '/a/b/c/d', with '.' and '..' applied and clamped at '/', like a chroot. */
export function joinInstallPath(base: string, relative: string): string {
  const parts = relative.startsWith('/') ? [] : base.split('/').filter((p) => p !== '');
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** Whether `path` is `dir` or below it. */
export function isWithin(path: string, dir: string): boolean {
  if (dir === '/') return path.startsWith('/');
  return path === dir || path.startsWith(`${dir}/`);
}
