/**
 * Running the kernel's own `make` install targets (modules_install, headers_install, dtbs_install,
 * image_name) on a built tree, the way the tree was built: same source tree, object tree, ARCH and
 * toolchain selection (CROSS_COMPILE or LLVM). Every output goes to a directory kpkg names on the
 * command line (INSTALL_MOD_PATH=, INSTALL_HDR_PATH=, INSTALL_DTBS_PATH=): callers pick targets
 * that do not write into the object tree, or give them a scratch object tree (see uapi-headers.ts).
 */
import { execa } from 'execa';
import { KpkgError } from '../../util/errors.js';
import { quoteWord } from '../../util/shell-words.js';
import type { MakeVars } from '../make-vars.js';
import type { Toolchain } from '../toolchain.js';
import type { KernelTree } from '../tree.js';

/** What a kernel make invocation is derived from: the tree facts plus the user's make variables. */
export interface KernelMakeContext {
  tree: KernelTree;
  toolchain: Toolchain;
  vars?: MakeVars | undefined;
  /** Called with each command line, for --verbose. */
  onCommand?: ((command: string) => void) | undefined;
}

export interface KernelMakeOptions {
  /**
   * The object tree make works in (O=). Defaults to the tree's own; pass a scratch directory for
   * targets that write build products (headers_install).
   */
  objtree?: string;
  /** Parallel jobs (-j); default 1. */
  jobs?: number;
}

/**
 * Environment variables that would change what a kernel make does behind kpkg's back: make's own
 * flags inherited from a parent make (kpkg run from a Makefile), and the Kbuild variables kpkg sets
 * explicitly on the command line or must not have set at all.
 */
const SCRUBBED_ENV = [
  'MAKEFLAGS',
  'MFLAGS',
  'GNUMAKEFLAGS',
  'MAKELEVEL',
  'MAKEOVERRIDES',
  'KBUILD_OUTPUT',
  'KBUILD_EXTMOD',
  'KBUILD_VERBOSE',
  'KBUILD_EXTRA_SYMBOLS',
  'INSTALL_MOD_PATH',
  'INSTALL_MOD_DIR',
  'INSTALL_MOD_STRIP',
  'INSTALL_HDR_PATH',
  'INSTALL_DTBS_PATH',
  'INSTALL_PATH',
  'KERNELRELEASE',
  'LOCALVERSION',
] as const;

export function kernelMakeEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !(SCRUBBED_ENV as readonly string[]).includes(name)) clean[name] = value;
  }
  // Messages in English for the error tails kpkg shows; no locale-dependent sorting in the scripts.
  clean.LC_ALL = 'C';
  return clean;
}

/** `make` arguments before the target: -s, -C srctree, O=, ARCH=, CROSS_COMPILE=, LLVM=, HOSTCC=. */
export function kernelMakeArgs(
  ctx: Pick<KernelMakeContext, 'tree' | 'toolchain' | 'vars'>,
  options: KernelMakeOptions = {},
): string[] {
  const { tree, toolchain, vars } = ctx;
  const objtree = options.objtree ?? tree.objtree;
  const args = ['-s', '-C', tree.srctree];
  if (objtree !== tree.srctree) args.push(`O=${objtree}`);
  args.push(`ARCH=${tree.kernelArch}`);
  // The same choice as every other caller's (target-tools.ts): the user's, else the build's.
  if (toolchain.tools.crossCompile !== '') args.push(`CROSS_COMPILE=${toolchain.tools.crossCompile}`);
  if (toolchain.tools.llvm !== undefined) args.push(`LLVM=${toolchain.tools.llvm.value}`);
  if (vars?.HOSTCC !== undefined) args.push(`HOSTCC=${vars.HOSTCC}`);
  if (options.jobs !== undefined && options.jobs > 1) args.push(`-j${options.jobs}`);
  return args;
}

const TAIL_LINES = 25;

/**
 * The last lines of a failed make's output, preceded by the first line that names the problem
 * when that scrolled out of them (a tool's usage text, or other jobs of -j, can push it far up).
 */
export function failureExcerpt(output: string, count = TAIL_LINES): string {
  const lines = output.replace(/\n+$/, '').split('\n');
  const tail = lines.slice(-count);
  const cause = lines.slice(0, -count).find((l) => /error|unrecognized|invalid|cannot|not found|no such file/i.test(l));
  return cause === undefined ? tail.join('\n') : [cause, '[...]', ...tail].join('\n');
}

/** Debian packages of the programs the install targets run (scripts/Makefile.modinst, top Makefile). */
const TOOL_PACKAGES: readonly { program: RegExp; debianPackage: (program: string) => string }[] = [
  { program: /^rsync$/, debianPackage: () => 'rsync' },
  { program: /^depmod$/, debianPackage: () => 'kmod' },
  { program: /^xz$/, debianPackage: () => 'xz-utils' },
  { program: /^zstd$/, debianPackage: () => 'zstd' },
  { program: /^(?:gzip|pigz)$/, debianPackage: (p) => p },
  { program: /^llvm-(?:strip|objcopy)(?:-\d+)?$/, debianPackage: (p) => `llvm${/-\d+$/.exec(p)?.[0] ?? ''}` },
  { program: /^(.+)-(?:strip|objcopy)$/, debianPackage: (p) => `binutils-${p.replace(/-(?:strip|objcopy)$/, '')}` },
];

/** When make's output says a program was not found, the apt-get command that installs it. */
export function missingToolHint(output: string): string | undefined {
  for (const m of output.matchAll(/(?:^|[\s:])([\w./+-]+): (?:command )?not found/gm)) {
    const program = (m[1] ?? '').split('/').pop() ?? '';
    const known = TOOL_PACKAGES.find((t) => t.program.test(program));
    if (known !== undefined) return `apt-get install ${known.debianPackage(program)}`;
  }
  return undefined;
}

/**
 * Runs `make <base args> <targetArgs>` and returns its stdout. A failure is a KpkgError naming the
 * command and showing the last lines it printed.
 */
export async function runKernelMake(
  ctx: KernelMakeContext,
  targetArgs: readonly string[],
  options: KernelMakeOptions = {},
): Promise<string> {
  const argv = ['make', ...kernelMakeArgs(ctx, options), ...targetArgs];
  const line = argv.map(quoteWord).join(' ');
  ctx.onCommand?.(line);
  const r = await execa(argv[0] ?? 'make', argv.slice(1), {
    reject: false,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    all: true,
    extendEnv: false,
    env: kernelMakeEnv(),
  });
  if (r.exitCode !== 0 || r.failed) {
    const tail = failureExcerpt(r.all ?? '');
    const how = r.exitCode === undefined ? (r.signal ?? r.shortMessage) : `exit ${r.exitCode}`;
    const missingMake = (r as { code?: string }).code === 'ENOENT';
    const hint = missingMake
      ? 'apt-get install make'
      : (missingToolHint(tail) ??
        'run the command above by hand to see the whole output; the tree must be the one the kernel was built in, with the same toolchain installed');
    throw new KpkgError(
      `${missingMake ? 'make is not installed' : `kernel make failed (${how})`}: ${line}${tail === '' ? '' : `\n${tail}`}`,
      {
        where: options.objtree ?? ctx.tree.objtree,
        hint,
      },
    );
  }
  return r.stdout;
}
