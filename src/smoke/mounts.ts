import { readFile } from 'node:fs/promises';

/** Decodes the octal escapes (\040 for space...) the kernel uses in /proc/<pid>/mountinfo paths. */
function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/** Mount points listed in mountinfo text. */
export function parseMountPoints(mountinfo: string): string[] {
  return mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => p !== undefined)
    .map(unescapeMountPath);
}

/** Mount points of this process's namespace at or below `dir` (an absolute, symlink-free path). */
export async function mountsBelow(dir: string): Promise<string[]> {
  const prefix = dir.replace(/\/+$/, '');
  const points = parseMountPoints(await readFile('/proc/self/mountinfo', 'utf8'));
  return points.filter((p) => p === prefix || p.startsWith(`${prefix}/`));
}
