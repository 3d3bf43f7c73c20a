import { join } from 'node:path';
import { readTextOrUndefined } from '../util/fs.js';
import { firstCommandFromCmdFile, programWords } from './cmd-files.js';
import { configValue, isEnabled } from './kconfig.js';
import type { MakeVars } from './make-vars.js';
import { decideTargetTools, type TargetTools } from './target-tools.js';
import type { KernelTree } from './tree.js';

/** The compilers a tree was built with, read from what the build recorded rather than guessed. */
export interface Toolchain {
  kind: 'gcc' | 'clang';
  /** CONFIG_CC_VERSION_TEXT, e.g. "aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0". */
  versionText: string;
  /** CONFIG_GCC_VERSION or CONFIG_CLANG_VERSION, e.g. 120200. */
  version: number;
  /** The target C compiler command as the build ran it, wrappers included: ["ccache", "aarch64-linux-gnu-gcc"] (= tools.cc). */
  cc: string[];
  /** The cross prefix (CROSS_COMPILE), e.g. "aarch64-linux-gnu-"; empty for a native gcc (= tools.crossCompile). */
  crossPrefix: string;
  /** clang's --target=, when the compiler is clang. */
  clangTarget: string | undefined;
  /** LLVM=1 style build: the kernel was linked with ld.lld (CONFIG_LD_IS_LLD). */
  llvm: boolean;
  /** The host C compiler command that built scripts/ (HOSTCC), e.g. ["gcc"]. */
  hostcc: string[];
  /** The target's compilers and binutils as the kernel's make picks them (target-tools.ts). */
  tools: TargetTools;
  /** CONFIG_CC_CAN_LINK: the target compiler links userspace programs (needed to rebuild host programs for the target). */
  ccCanLink: boolean;
  /** Which file the CC command was read from, or "config" when no compile command was recorded. */
  ccSource: string;
}

/**
 * Kbuild records every command in a `.<target>.cmd` file as `cmd_<target> := <command>`
 * (scripts/Kbuild.include, if_changed). init/main.c is compiled in every kernel, so its command
 * line is the most reliable record of CC, including wrappers such as ccache and clang's --target.
 */
const TARGET_CMD_FILES = ['init/.main.o.cmd', 'init/.version.o.cmd', 'kernel/.fork.o.cmd'];
const HOST_CMD_FILES = ['scripts/basic/.fixdep.cmd'];

interface RecordedCompiler {
  file: string;
  program: string[];
  words: string[];
}

async function readRecordedCompiler(
  objtree: string,
  cmdFiles: readonly string[],
): Promise<RecordedCompiler | undefined> {
  for (const file of cmdFiles) {
    const path = join(objtree, file);
    const text = await readTextOrUndefined(path);
    const words = text === undefined ? undefined : firstCommandFromCmdFile(text, path);
    if (words === undefined) continue;
    const program = programWords(words);
    if (program.length > 0) return { file, program, words };
  }
  return undefined;
}

export async function readToolchain(tree: KernelTree, vars: MakeVars = {}): Promise<Toolchain> {
  const { config } = tree;
  const kind = isEnabled(config, 'CC_IS_CLANG') ? 'clang' : 'gcc';
  const versionText = configValue(config, 'CC_VERSION_TEXT') ?? '';
  const version = Number(configValue(config, kind === 'clang' ? 'CLANG_VERSION' : 'GCC_VERSION') ?? '0');

  const recorded = await readRecordedCompiler(tree.objtree, TARGET_CMD_FILES);
  const targetWord = recorded?.words.find((w) => w.startsWith('--target='));
  const clangTarget = kind === 'clang' ? targetWord?.slice('--target='.length) : undefined;
  const llvm = isEnabled(config, 'LD_IS_LLD');
  const tools = decideTargetTools(
    { kind, recordedCc: recorded?.program, clangTarget, versionText, ldIsLld: llvm, kernelVersion: tree.version },
    vars,
  );

  const host = await readRecordedCompiler(tree.objtree, HOST_CMD_FILES);
  return {
    kind,
    versionText,
    version,
    cc: tools.cc,
    crossPrefix: tools.crossCompile,
    clangTarget,
    llvm,
    tools,
    hostcc: host?.program ?? (vars.HOSTCC === undefined ? ['gcc'] : vars.HOSTCC.split(/\s+/)),
    ccCanLink: isEnabled(config, 'CC_CAN_LINK'),
    ccSource: recorded?.file ?? 'config',
  };
}
