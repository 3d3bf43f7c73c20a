import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProbeResult {
  ok: boolean;
  /** The compiler's last lines when it failed. */
  output: string;
}

/**
 * Compiles (and links, unless `compileOnly`) a small program with the given compiler words: the
 * surest way to know whether a cross toolchain finds a library's headers and a linkable copy of it.
 */
export async function probeCompile(
  compiler: readonly string[],
  source: string,
  options: { libs?: string[]; compileOnly?: boolean; cxx?: boolean } = {},
): Promise<ProbeResult> {
  const [file, ...pre] = compiler;
  if (file === undefined) return { ok: false, output: 'no compiler' };
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-probe-'));
  try {
    const src = join(dir, options.cxx === true ? 'probe.cc' : 'probe.c');
    await writeFile(src, source);
    const out = join(dir, options.compileOnly === true ? 'probe.o' : 'probe');
    const args = [...pre, ...(options.compileOnly === true ? ['-c'] : []), '-o', out, src, ...(options.libs ?? [])];
    const r = await execa(file, args, { reject: false, all: true, stdin: 'ignore' });
    return { ok: r.exitCode === 0, output: (r.all ?? r.shortMessage).split('\n').slice(-8).join('\n') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
