import { execa } from 'execa';

/** Whether a program is on PATH, as the shell finds it (unreadable PATH entries are skipped, not errors). */
export async function onPath(program: string): Promise<boolean> {
  const r = await execa('sh', ['-c', 'command -v "$1"', 'sh', program], { reject: false, stdin: 'ignore' });
  return r.exitCode === 0;
}
