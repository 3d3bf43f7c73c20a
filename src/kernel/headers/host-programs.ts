import { execa } from 'execa';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { describeIdentity, identityOf, sameIdentity } from '../../elf/identity.js';
import { readElfFile } from '../../elf/elf.js';
import { KpkgError } from '../../util/errors.js';
import { lastLines } from '../../util/last-lines.js';
import { isFile } from '../../util/fs.js';
import { cpuParallelism, settledOrFirstError, Slots } from '../../util/pool.js';
import { quoteWord } from '../../util/shell-words.js';
import type { ArchInfo } from '../../arch/arch-table.js';
import { cmdFileOf, programWords, recordedCommand } from '../cmd-files.js';
import { modpostSourcesForTarget, type SourceFor } from './modpost-byte-order.js';
import { targetCompilers } from '../target-tools.js';
import type { Toolchain } from '../toolchain.js';
import type { KernelTree } from '../tree.js';

/**
 * Rebuilding Kbuild host programs (fixdep, modpost, genksyms, sorttable, …) for the target.
 *
 * Kbuild records the exact command that built each host program and each of its objects in
 * `.<name>.cmd` files (scripts/Makefile.host). kpkg replays those commands with the target compiler in
 * place of HOSTCC/HOSTCXX, writing every output into a scratch directory, so the kernel tree is never
 * touched and no kernel Makefile logic is needed: this works the same on 5.10, 6.1 and 6.12.
 * (Upstream 6.12's install-extmod-build instead re-runs Kbuild in the external-module mode with
 * HOSTCC=$CC, in two passes so that fixdep, which that build itself runs, is replaced last. Replaying
 * the records runs no fixdep at all, so there is no such ordering to respect.)
 */
export interface HostProgramRebuild {
  /** Path relative to the object tree, e.g. scripts/basic/fixdep. */
  path: string;
  /** Where the rebuilt program was written. */
  output: string;
  /** What it was before: the build machine's identity. */
  was: string;
}

export interface RebuildOptions {
  tree: KernelTree;
  toolchain: Toolchain;
  arch: ArchInfo;
  /** Host programs to rebuild, relative to the object tree. */
  programs: readonly string[];
  /** Scratch directory for objects and programs. */
  workDir: string;
  /** Called with each command line run (for --verbose). */
  onCommand?: (command: string) => void;
  /** The target-native gcc plugin include directory, for rebuilding GCC plugins (see gcc-plugins.ts). */
  pluginIncludeDir?: string | undefined;
  /** A target root holding the libraries the programs link (passed as --sysroot=). */
  sysroot?: string | undefined;
  /** Compilers at once (default: the cores). */
  jobs?: number | undefined;
}

/** The target compilers come from target-tools.ts, the one place that picks the target's programs. */
export { targetCompilers } from '../target-tools.js';

function isCxx(program: readonly string[]): boolean {
  return /(\+\+|g\+\+|c\+\+)(-\d+)?$/.test(program[program.length - 1] ?? '');
}

/** Target development packages (Debian multiarch names) that provide a header or library a host program needs. */
const TARGET_LIBRARIES: readonly { match: RegExp; package: string }[] = [
  { match: /openssl\/|cannot find -lcrypto|cannot find -lssl/, package: 'libssl-dev' },
  { match: /gelf\.h|libelf\.h|cannot find -lelf/, package: 'libelf-dev' },
  { match: /zlib\.h|cannot find -lz\b/, package: 'zlib1g-dev' },
  { match: /gmp\.h|cannot find -lgmp/, package: 'libgmp-dev' },
];

/** When a rebuild failed for want of a target library, the command that installs it. */
export function missingLibraryHint(output: string, debianArch: string): string | undefined {
  const packages = TARGET_LIBRARIES.filter((l) => l.match.test(output)).map((l) => `${l.package}:${debianArch}`);
  return packages.length === 0
    ? undefined
    : `the target's development files (${packages.join(' ')}) are incomplete where kpkg looked: \`kpkg doctor --arch ${debianArch}\` says where that is; \`kpkg sysroot --arch ${debianArch} --refresh\` fetches them again`;
}

async function run(
  argv: readonly string[],
  cwd: string,
  onCommand?: (c: string) => void,
  debianArch?: string,
): Promise<void> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('empty command');
  onCommand?.(argv.map(quoteWord).join(' '));
  const r = await execa(file, args, { cwd, reject: false, all: true, stdin: 'ignore' });
  if (r.exitCode !== 0) {
    const tail = lastLines(r.all ?? '', 25);
    const failure = r.failed && r.exitCode === undefined ? ` (${r.shortMessage})` : '';
    const hint =
      debianArch === undefined
        ? undefined
        : (missingLibraryHint(tail, debianArch) ??
          `the target's compiler cannot build or link this program: \`kpkg doctor --arch ${debianArch}\` checks the compiler and its C library (CC=, CROSS_COMPILE=, LLVM= as for the kernel build)`);
    throw new KpkgError(
      `command failed (exit ${String(r.exitCode ?? '?')})${failure}: ${argv.map(quoteWord).join(' ')}\n${tail}`,
      { where: cwd, ...(hint === undefined ? {} : { hint }) },
    );
  }
}

/** Replays recorded commands into workDir, following object dependencies; each target is built once. */
class Replayer {
  private readonly built = new Map<string, Promise<string>>();

  constructor(
    private readonly objtree: string,
    private readonly workDir: string,
    private readonly compilers: { c: string[]; cxx: string[] },
    private readonly slots: Slots,
    private readonly debianArch: string,
    private readonly onCommand?: (c: string) => void,
    private readonly pluginIncludeDir?: string,
    private readonly sourceFor?: SourceFor,
  ) {}

  /** Path of `target` relative to the object tree; the commands use relative paths, O= builds absolute sources. */
  private rel(word: string): string {
    return isAbsolute(word) ? relative(this.objtree, word) : word.replace(/^\.\//, '');
  }

  build(target: string): Promise<string> {
    const rel = this.rel(target);
    let p = this.built.get(rel);
    if (p === undefined) {
      p = this.replay(rel);
      this.built.set(rel, p);
    }
    return p;
  }

  private async replay(rel: string): Promise<string> {
    const words = await recordedCommand(this.objtree, rel);
    if (words === undefined) {
      throw new KpkgError(
        `cannot rebuild ${rel} for the target: Kbuild's record of how it was built (${cmdFileOf(rel)}) is missing`,
        {
          where: join(this.objtree, cmdFileOf(rel)),
          hint: 'package a tree as the kernel build left it: `make clean` or copying the tree without its dot-files removes the records',
        },
      );
    }
    const program = programWords(words);
    const args: string[] = [];
    const rest = words.slice(program.length);
    // The objects a link needs are built first, all at once (the slots bound the compilers).
    const objects = new Map<string, Promise<string>>();
    for (let i = 0; i < rest.length; i++) {
      const w = rest[i] ?? '';
      if (w === '-o')
        i++; // the output, never an input (an object's own record names it)
      else if (
        w.endsWith('.o') &&
        !w.startsWith('-') &&
        !objects.has(w) &&
        (await isFile(join(this.objtree, cmdFileOf(this.rel(w)))))
      )
        objects.set(w, this.build(w));
    }
    // Every object settles before this link goes on or fails: nothing may still write into the
    // scratch directory when a failure has it removed. The first failure in command order is reported.
    await settledOrFirstError([...objects.values()]);
    for (let i = 0; i < rest.length; i++) {
      const w = rest[i] ?? '';
      if (/^-Wp,-M[MD]?D?,/.test(w)) continue; // dependency files would land in the kernel tree
      const object = objects.get(w);
      const source = this.sourceFor?.(w);
      if (source !== undefined) {
        args.push(source);
      } else if (w === '-o' && i + 1 < rest.length) {
        args.push('-o', this.output(rest[++i] ?? ''));
      } else if (object !== undefined) {
        args.push(await object);
      } else if (this.pluginIncludeDir !== undefined && /\/plugin\/include\/?$/.test(w)) {
        // GCC plugins: the cross gcc's plugin headers → the target's native gcc's (gcc-plugins.ts).
        args.push(w.startsWith('-I') ? `-I${this.pluginIncludeDir}` : this.pluginIncludeDir);
      } else {
        args.push(w);
      }
    }
    const out = this.output(rel);
    await mkdir(dirname(out), { recursive: true });
    await this.slots.run(() =>
      run(
        [...(isCxx(program) ? this.compilers.cxx : this.compilers.c), ...args],
        this.objtree,
        this.onCommand,
        this.debianArch,
      ),
    );
    return out;
  }

  private output(word: string): string {
    return join(this.workDir, this.rel(word));
  }
}

export async function rebuildHostPrograms(options: RebuildOptions): Promise<HostProgramRebuild[]> {
  const { tree, toolchain, arch, programs, workDir } = options;
  if (programs.length === 0) return [];
  const compilers = targetCompilers(toolchain, arch, options.sysroot);
  const modpostSources = await modpostSourcesForTarget(tree, arch.elf, workDir);
  const replayer = new Replayer(
    tree.objtree,
    join(workDir, 'objtree'),
    compilers,
    new Slots(options.jobs ?? cpuParallelism()),
    arch.debian,
    options.onCommand,
    options.pluginIncludeDir,
    modpostSources,
  );
  return settledOrFirstError(
    programs.map(async (path) => checkedRebuild(path, await replayer.build(path), tree.objtree, arch)),
  );
}

/**
 * Strips a rebuilt program or plugin with the target's binutils, as Debian packages ship them
 * (lintian: unstripped-binary-or-object); the kernel build itself leaves them unstripped.
 */
export async function stripForTarget(
  file: string,
  toolchain: Toolchain,
  onCommand?: (c: string) => void,
): Promise<void> {
  await run([toolchain.tools.strip, '--strip-unneeded', file], dirname(file), onCommand);
}

/** Confirms a rebuilt program is the target's and says what it replaced. */
export async function checkedRebuild(
  path: string,
  output: string,
  objtree: string,
  arch: ArchInfo,
): Promise<HostProgramRebuild> {
  const before = await readElfFile(join(objtree, path));
  const after = await readElfFile(output);
  if (after.kind !== 'elf' || !sameIdentity(identityOf(after.elf), arch.elf)) {
    const got = after.kind === 'elf' ? describeIdentity(identityOf(after.elf)) : after.kind;
    throw new KpkgError(
      `rebuilt ${path} is ${got}, not ${describeIdentity(arch.elf)}: the target compiler does not build for ${arch.debian}`,
      { where: output },
    );
  }
  return { path, output, was: before.kind === 'elf' ? describeIdentity(identityOf(before.elf)) : before.kind };
}
