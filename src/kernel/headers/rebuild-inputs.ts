/**
 * What rebuilding the headers' host programs for the target reads (host-programs.ts,
 * tool-programs.ts), so that the rebuilt programs can be cached under the state of those inputs:
 *  - for Kbuild's programs, every record replayed (the program's `.cmd` and, recursively, those of
 *    the objects it links) and every file those records list as sources and dependencies;
 *  - for the tools/ programs (objtool, resolve_btfids), the tools/ directories their build reads;
 *  - the compilers, binutils and libraries: the programs themselves, the build machine's package
 *    database (any installed or upgraded compiler package changes it), the target sysroot and the
 *    target gcc's plugin headers.
 */
import { isAbsolute, join } from 'node:path';
import type { StepInputs } from '../../cache/fingerprint.js';
import { isFile, readTextOrUndefined } from '../../util/fs.js';
import type { ArchInfo } from '../../arch/arch-table.js';
import { cmdFileOf, commandFromCmdFile, dependenciesFromCmdFile } from '../cmd-files.js';
import type { Toolchain } from '../toolchain.js';
import type { KernelTree } from '../tree.js';

/** Raised when the rebuild logic changes what it writes: older entries are then never used. */
const REBUILD_VERSION = '3';

/** tools/ directories the objtool and resolve_btfids builds read (tools/objtool/Makefile, tools/bpf/resolve_btfids/Makefile). */
const TOOLS_DIRS = [
  'tools/build',
  'tools/include',
  'tools/lib',
  'tools/scripts',
  'tools/objtool',
  'tools/bpf/resolve_btfids',
  'tools/arch',
  'tools/Makefile',
];

/** Every record and file the replay of `programs` reads, as absolute paths. */
async function recordInputs(objtree: string, programs: readonly string[]): Promise<string[]> {
  const seen = new Set<string>();
  const files = new Set<string>();
  const visit = async (target: string): Promise<void> => {
    const rel = isAbsolute(target) ? target : target.replace(/^\.\//, '');
    if (seen.has(rel)) return;
    seen.add(rel);
    const cmd = join(objtree, cmdFileOf(rel));
    files.add(cmd);
    const text = await readTextOrUndefined(cmd);
    if (text === undefined) return;
    for (const dep of dependenciesFromCmdFile(text)) files.add(isAbsolute(dep) ? dep : join(objtree, dep));
    const objects = (commandFromCmdFile(text, cmd) ?? []).filter((w) => w.endsWith('.o') && !w.startsWith('-'));
    await Promise.all(objects.map((o) => visit(isAbsolute(o) ? o : o.replace(/^\.\//, ''))));
  };
  await Promise.all(programs.map(visit));
  return [...files].sort();
}

export interface RebuildInputsRequest {
  tree: KernelTree;
  toolchain: Toolchain;
  arch: ArchInfo;
  /** Kbuild host programs to replay, relative to the object tree. */
  kbuildPrograms: readonly string[];
  /** Programs of the tools/ build system (objtool, resolve_btfids). */
  toolPrograms: readonly string[];
  /** The compiler commands the rebuild runs (target-tools.ts). */
  compilers: { c: readonly string[]; cxx: readonly string[] };
  sysroot?: string | undefined;
  pluginIncludeDir?: string | undefined;
}

export async function rebuildInputs(request: RebuildInputsRequest): Promise<StepInputs> {
  const { tree, toolchain, arch, compilers, sysroot, pluginIncludeDir } = request;
  const commandPrograms = [...compilers.c, ...compilers.cxx].filter((w) => !w.startsWith('-'));
  const manifest = sysroot === undefined ? undefined : join(sysroot, '.kpkg/sysroot.json');
  const fetched = manifest !== undefined && (await isFile(manifest));
  return {
    words: [
      `host-programs ${REBUILD_VERSION}`,
      arch.debian,
      ...request.kbuildPrograms.map((p) => `kbuild ${p}`),
      ...request.toolPrograms.map((p) => `tools ${p}`),
      `cc ${compilers.c.join(' ')}`,
      `cxx ${compilers.cxx.join(' ')}`,
      `strip ${toolchain.tools.strip}`,
      `sysroot ${sysroot ?? ''}`,
      `plugins ${pluginIncludeDir ?? ''}`,
    ],
    files: [
      ...(await recordInputs(tree.objtree, request.kbuildPrograms)),
      join(tree.objtree, '.config'),
      join(tree.objtree, 'include/config/auto.conf'),
      '/var/lib/dpkg/status',
      ...(manifest === undefined ? [] : [manifest]),
    ],
    trees: [
      ...(request.toolPrograms.length === 0 ? [] : TOOLS_DIRS.map((d) => join(tree.srctree, d))),
      ...(pluginIncludeDir === undefined ? [] : [pluginIncludeDir]),
      // A sysroot kpkg did not fetch has no manifest: its headers and libraries count one by one.
      ...(sysroot === undefined || fetched ? [] : [join(sysroot, 'usr/include'), join(sysroot, 'usr/lib')]),
    ],
    programs: [...commandPrograms, toolchain.tools.strip, toolchain.tools.ld, toolchain.tools.ar, 'make'],
  };
}
