import { execa } from 'execa';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KpkgError } from '../../util/errors.js';
import { lastLines } from '../../util/last-lines.js';
import { cpuParallelism } from '../../util/pool.js';
import { quoteWord } from '../../util/shell-words.js';
import type { ArchInfo } from '../../arch/arch-table.js';
import type { Toolchain } from '../toolchain.js';
import type { KernelTree } from '../tree.js';
import { targetCompilers } from '../target-tools.js';
import { missingLibraryHint } from './host-programs.js';

/**
 * objtool and resolve_btfids: host programs of the tools/ build system, which Kbuild calls during
 * external module builds (CONFIG_OBJTOOL, CONFIG_DEBUG_INFO_BTF_MODULES) but does not build itself.
 *
 * Their Makefiles (tools/objtool/Makefile, tools/bpf/resolve_btfids/Makefile) compile everything —
 * the program and the libsubcmd/libbpf it links — with HOSTCC/HOSTLD/HOSTAR, and HOST_OVERRIDES pass
 * ARCH=$(HOSTARCH) to the libraries. Pointing those at the target toolchain cross-builds them, except
 * for one program the build runs: tools/build/fixdep (tools/build/Makefile.include), which must stay
 * a build-machine program. Debian patches the tools build for that (REALHOSTCC); kpkg instead gives
 * the build a HOSTCC/HOSTLD that builds fixdep natively and everything else for the target, which
 * works on unpatched kernels too.
 */
export interface ToolProgram {
  /** Path of the program in the object tree and in the headers package. */
  path: string;
  /** Its directory in the source tree, where `make` runs. */
  dir: string;
}

export const TOOL_PROGRAMS: readonly ToolProgram[] = [
  { path: 'tools/objtool/objtool', dir: 'tools/objtool' },
  { path: 'tools/bpf/resolve_btfids/resolve_btfids', dir: 'tools/bpf/resolve_btfids' },
];

export function toolProgramAt(path: string): ToolProgram | undefined {
  return TOOL_PROGRAMS.find((t) => t.path === path);
}

/** A shell script that runs `native` for the tools build's own fixdep and `target` for everything else. */
function dispatcher(
  native: readonly string[],
  target: readonly string[],
  fixdepPatterns: string,
  targetLast: readonly string[] = [],
): string {
  return `#!/bin/sh
# Written by kpkg: build tools/build/fixdep for the build machine (the build runs it), everything else for the target.
for a; do case "$a" in ${fixdepPatterns}) exec ${native.map(quoteWord).join(' ')} "$@";; esac; done
exec ${target.map(quoteWord).join(' ')} "$@"${targetLast.map((w) => ` ${quoteWord(w)}`).join('')}
`;
}

export interface ToolRebuildOptions {
  tree: KernelTree;
  toolchain: Toolchain;
  arch: ArchInfo;
  tool: ToolProgram;
  workDir: string;
  /** A target root holding libelf and zlib (passed as --sysroot=). */
  sysroot?: string | undefined;
  /** make -j (default: the cores). */
  jobs?: number | undefined;
  onCommand?: (command: string) => void;
}

/** Builds one tools/ program for the target into workDir and returns the program's path. */
export async function rebuildToolProgram(options: ToolRebuildOptions): Promise<string> {
  const { tree, toolchain, arch, tool, workDir } = options;
  const name = tool.path.slice(tool.path.lastIndexOf('/') + 1);
  const bin = join(workDir, 'bin');
  const out = join(workDir, 'tools', name);
  await mkdir(bin, { recursive: true });
  await mkdir(out, { recursive: true });
  // The scratch directory's random name would end up in the debug info and so in the GNU build ID,
  // which stripping keeps: map it to a fixed name so that two runs give identical programs.
  const c = [...targetCompilers(toolchain, arch, options.sysroot).c, `-ffile-prefix-map=${workDir}=/kpkg-tools`];
  const hostcc = join(bin, 'kpkg-hostcc');
  const hostld = join(bin, 'kpkg-hostld');
  // -g0 last: the programs are stripped for the package, so their debug info (the tools Makefiles'
  // -g) would only cost compile time; GCC's code does not depend on -g.
  await writeFile(
    hostcc,
    dispatcher(toolchain.hostcc, c, '*/fixdep|*/fixdep.o|*/fixdep-in.o|*/tools/build/fixdep.c|fixdep.c', ['-g0']),
  );
  await writeFile(hostld, dispatcher(['ld'], [toolchain.tools.ld], '*/fixdep-in.o'));
  await chmod(hostcc, 0o755);
  await chmod(hostld, 0o755);
  const args = [
    '-s',
    '-C',
    join(tree.srctree, tool.dir),
    // O=, as the top Makefile passes it: tools/scripts/Makefile.include derives OUTPUT from it, and
    // sub-makes (libsubcmd, libbpf) keep their own OUTPUT, which a command-line OUTPUT= would override.
    `O=${out}`,
    `srctree=${tree.srctree}`,
    `HOSTCC=${hostcc}`,
    `HOSTLD=${hostld}`,
    `HOSTAR=${toolchain.tools.ar}`,
    `HOSTARCH=${tree.kernelArch}`,
    `ARCH=${tree.kernelArch}`,
    `-j${String(options.jobs ?? cpuParallelism())}`,
  ];
  options.onCommand?.(['make', ...args].map(quoteWord).join(' '));
  // pkg-config must describe the target's libelf/zlib, not the build machine's.
  const root = options.sysroot ?? '';
  const env = {
    PKG_CONFIG_LIBDIR: `${root}/usr/lib/${arch.multiarch}/pkgconfig:${root}/usr/share/pkgconfig`,
    PKG_CONFIG_SYSROOT_DIR: root,
    MAKEFLAGS: '',
  };
  const r = await execa('make', args, { reject: false, all: true, stdin: 'ignore', env });
  if (r.exitCode !== 0) {
    const tail = lastLines(r.all ?? '', 25);
    const hint = missingLibraryHint(tail, arch.debian);
    throw new KpkgError(`building ${tool.path} for ${arch.debian} failed: make ${args.join(' ')}\n${tail}`, {
      where: join(tree.srctree, tool.dir),
      ...(hint === undefined ? {} : { hint }),
    });
  }
  return join(out, name);
}
