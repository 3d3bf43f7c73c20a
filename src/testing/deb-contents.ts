import { execa } from 'execa';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `dpkg-deb --contents` paths, without the leading '.', directories without their trailing '/'. */
export async function debPaths(deb: string): Promise<string[]> {
  const { stdout } = await execa('dpkg-deb', ['--contents', deb]);
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const name = l.slice(l.indexOf('./') + 1).replace(/ -> .*$/, '');
      return name.length > 1 ? name.replace(/\/$/, '') : name;
    });
}

/** `dpkg-deb --field` of one field. */
export async function debField(deb: string, field: string): Promise<string> {
  return (await execa('dpkg-deb', ['--field', deb, field])).stdout.trim();
}

/** Extracts with dpkg-deb -x into a new temp dir and returns it. */
export async function extractDeb(deb: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-x-'));
  await execa('dpkg-deb', ['-x', deb, dir]);
  return dir;
}

/** `file -b` of every regular file below dir that `file` calls ELF, by path relative to dir. */
export async function elfFilesByFile(dir: string): Promise<Map<string, string>> {
  const { stdout } = await execa('sh', ['-c', 'find . -type f -print0 | xargs -0 -r file -N -F "\t"'], { cwd: dir });
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const [path, desc] = line.split('\t');
    if (path !== undefined && desc !== undefined && desc.includes('ELF')) out.set(path.replace(/^\.\//, ''), desc.trim());
  }
  return out;
}
