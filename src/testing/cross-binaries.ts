/**
 * Test helper: compiles tiny C programs with the installed cross compilers into a temporary
 * directory, so tests can check real ELF files of every architecture.
 *
 * A missing compiler is a test failure, never a skip: the error names the Debian package to
 * install (tools/install-deps installs them all).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Toolchain {
  /** Debian architecture the toolchain's default output is for. */
  debian: string;
  command: string;
  /** Arguments that select the target (clang's --target, the linker). */
  targetArgs: readonly string[];
  /** Debian packages that provide the command and what it links against. */
  aptPackages: readonly string[];
  /**
   * Whether the toolchain has a C library for its target. Without one, executables and shared
   * objects are linked with -nostdlib (still with the default PT_INTERP), and 'static' is refused.
   */
  hasLibc: boolean;
}

/** The GNU cross compilers kpkg's tests rely on, plus the host's gcc. */
export const GCC_TOOLCHAINS = {
  host: { debian: 'host', command: 'gcc', targetArgs: [], aptPackages: ['gcc'], hasLibc: true },
  // On an amd64 host this is the native compiler under its triplet name (package gcc).
  amd64: { debian: 'amd64', command: 'x86_64-linux-gnu-gcc', targetArgs: [], aptPackages: ['gcc'], hasLibc: true },
  arm64: {
    debian: 'arm64',
    command: 'aarch64-linux-gnu-gcc',
    targetArgs: [],
    aptPackages: ['gcc-aarch64-linux-gnu', 'libc6-dev-arm64-cross'],
    hasLibc: true,
  },
  armhf: {
    debian: 'armhf',
    command: 'arm-linux-gnueabihf-gcc',
    targetArgs: [],
    aptPackages: ['gcc-arm-linux-gnueabihf', 'libc6-dev-armhf-cross'],
    hasLibc: true,
  },
  riscv64: {
    debian: 'riscv64',
    command: 'riscv64-linux-gnu-gcc',
    targetArgs: [],
    aptPackages: ['gcc-riscv64-linux-gnu', 'libc6-dev-riscv64-cross'],
    hasLibc: true,
  },
  ppc64el: {
    debian: 'ppc64el',
    command: 'powerpc64le-linux-gnu-gcc',
    targetArgs: [],
    aptPackages: ['gcc-powerpc64le-linux-gnu', 'libc6-dev-ppc64el-cross'],
    hasLibc: true,
  },
} as const satisfies Record<string, Toolchain>;

/** clang with lld for `triplet` (no libc). */
export function clangFor(debian: string, triplet: string): Toolchain {
  return {
    debian,
    command: 'clang',
    targetArgs: [`--target=${triplet}`, '-fuse-ld=lld'],
    aptPackages: ['clang', 'lld'],
    hasLibc: false,
  };
}

/**
 * Arches with no GNU cross compiler installed, reached through clang (no libc: objects, and
 * -nostdlib links where lld supports the target; clang 14's lld cannot link s390x).
 */
export const CLANG_TOOLCHAINS = {
  i386: clangFor('i386', 'i686-linux-gnu'),
  ppc64: clangFor('ppc64', 'powerpc64-linux-gnu'),
  s390x: clangFor('s390x', 's390x-linux-gnu'),
  mips64el: clangFor('mips64el', 'mips64el-linux-gnuabi64'),
} as const satisfies Record<string, Toolchain>;

/**
 * pie: position-independent executable (ELF type DYN); exec: -no-pie executable (EXEC);
 * static: -static executable (no PT_INTERP); object: `-c` relocatable; shared: `-shared` library.
 */
export type BinaryKind = 'pie' | 'exec' | 'static' | 'object' | 'shared';

export interface CompileRequest {
  kind: BinaryKind;
  /** C source; a tiny program with main() and one exported function by default. */
  source?: string;
  /** Extra compiler flags, e.g. ['-mfloat-abi=soft']. */
  flags?: readonly string[];
  /** Output file name inside the directory; derived from toolchain and kind by default. */
  name?: string;
}

export const TINY_C_PROGRAM = [
  'int kpkg_answer(int x) { return x + 42; }',
  'int main(void) { return kpkg_answer(0) == 42 ? 0 : 1; }',
  '',
].join('\n');

function kindFlags(kind: BinaryKind, hasLibc: boolean): string[] {
  // Without a libc there is no crt1.o: link nothing and start at main (the file is never run).
  const noLibc = hasLibc ? [] : ['-nostdlib', '-Wl,-e,main'];
  switch (kind) {
    case 'pie':
      return ['-fPIE', '-pie', ...noLibc];
    case 'exec':
      return ['-fno-PIE', '-no-pie', ...noLibc];
    case 'static':
      return ['-static'];
    case 'object':
      return ['-c'];
    case 'shared':
      return ['-fPIC', '-shared', ...(hasLibc ? [] : ['-nostdlib'])];
  }
}

interface ExecError {
  code?: unknown;
  stderr?: unknown;
}

function missingToolchainError(toolchain: Toolchain): Error {
  return new Error(
    `${toolchain.command} is not installed; the ELF tests need it. ` +
      `Install it with: apt-get install ${toolchain.aptPackages.join(' ')} (or run tools/install-deps)`,
  );
}

/** A temporary directory to compile into; call remove() when done (e.g. in after()). */
export class CrossBuildDir {
  private sourceCount = 0;

  private constructor(readonly path: string) {}

  static async create(prefix = 'kpkg-cross-'): Promise<CrossBuildDir> {
    return new CrossBuildDir(await mkdtemp(join(tmpdir(), prefix)));
  }

  /** Compiles one binary and returns its path. Throws with the compiler's stderr on failure. */
  async compile(toolchain: Toolchain, request: CompileRequest): Promise<string> {
    if (request.kind === 'static' && !toolchain.hasLibc) {
      throw new Error(`${toolchain.command} ${toolchain.targetArgs.join(' ')} has no C library to link statically`);
    }
    this.sourceCount += 1;
    const source = join(this.path, `src${this.sourceCount}.c`);
    await writeFile(source, request.source ?? TINY_C_PROGRAM);
    const output = join(
      this.path,
      request.name ?? `${toolchain.debian}-${request.kind}-${this.sourceCount}${request.kind === 'object' ? '.o' : ''}`,
    );
    const args = [
      ...toolchain.targetArgs,
      '-O2',
      ...kindFlags(request.kind, toolchain.hasLibc),
      ...(request.flags ?? []),
      '-o',
      output,
      source,
    ];
    try {
      await run(toolchain.command, args, { timeout: 120_000 });
    } catch (e) {
      const err = e as ExecError;
      if (err.code === 'ENOENT') throw missingToolchainError(toolchain);
      const stderr = typeof err.stderr === 'string' ? err.stderr : '';
      throw new Error(
        `${toolchain.command} ${args.join(' ')} failed (it needs: apt-get install ${toolchain.aptPackages.join(' ')}):\n${stderr}`,
        { cause: e },
      );
    }
    return output;
  }

  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }
}

/**
 * Runs a toolchain with its target arguments plus `args` (e.g. ['-dumpmachine'] or ['-###', ...])
 * and returns what it printed; a missing toolchain fails with the packages to install.
 */
export async function queryToolchain(
  toolchain: Toolchain,
  args: readonly string[],
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(toolchain.command, [...toolchain.targetArgs, ...args], { timeout: 60_000 });
  } catch (e) {
    if ((e as ExecError).code === 'ENOENT') throw missingToolchainError(toolchain);
    throw e;
  }
}
