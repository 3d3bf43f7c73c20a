import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * Whether a program is on PATH as the shell finds it: an executable regular file in a PATH
 * directory (a name with a '/' is checked as it is). Looked up in-process: a shell per question costs
 * milliseconds each on every run. Unreadable PATH entries are skipped, not errors.
 */
export async function onPath(program: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return (await pathOf(program, env)) !== undefined;
}

/** Where a program is on PATH, as onPath finds it (the PATH entry joined with its name); undefined when it is not. */
export async function pathOf(program: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  for (const path of pathCandidates(program, env)) {
    try {
      await access(path, constants.X_OK);
      if ((await stat(path)).isFile()) return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Where the shell would look for `program`, in order: itself when it names a path, else each absolute PATH entry. */
export function pathCandidates(program: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return program.includes('/')
    ? [program]
    : (env.PATH ?? '')
        .split(delimiter)
        .filter((d) => d !== '' && isAbsolute(d))
        .map((d) => join(d, program));
}
