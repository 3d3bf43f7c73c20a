/**
 * Real ELF samples for the fuzz corpus: small files of the installed (cross) C libraries — little
 * endian, 32 and 64 bit, executables, shared objects and relocatables — and big-endian ones
 * compiled at run time with clang (ppc64, 32-bit powerpc, mips), which no Debian cross libc ships.
 */
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isElfMagic } from '../../elf/elf.js';
import { CLANG_TOOLCHAINS, clangFor, CrossBuildDir } from '../cross-binaries.js';

/** Directories of real ELF files; the first few small ones of each are taken, by name. */
const SYSTEM_ELF_DIRS = [
  '/usr/aarch64-linux-gnu/lib',
  '/usr/arm-linux-gnueabihf/lib',
  '/usr/powerpc64le-linux-gnu/lib',
  '/usr/riscv64-linux-gnu/lib',
  '/usr/lib/x86_64-linux-gnu',
  '/usr/bin',
];
const MIN_SIZE = 512;
const MAX_SIZE = 256 * 1024;

async function startsWithElfMagic(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    await file.read(head, 0, 4, 0);
    return isElfMagic(head);
  } finally {
    await file.close();
  }
}

/** Up to `perDir` small ELF files from each directory that exists. */
export async function systemElfSamples(perDir = 4): Promise<Buffer[]> {
  const samples: Buffer[] = [];
  for (const dir of SYSTEM_ELF_DIRS) {
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch {
      continue; // this cross libc is not installed
    }
    let taken = 0;
    for (const name of names) {
      if (taken >= perDir) break;
      const path = join(dir, name);
      const info = await stat(path).catch(() => undefined);
      if (info === undefined || !info.isFile() || info.size < MIN_SIZE || info.size > MAX_SIZE) continue;
      if (!(await startsWithElfMagic(path))) continue;
      samples.push(await readFile(path));
      taken++;
    }
  }
  return samples;
}

/** Big-endian ELF (64-bit with dynamic sections, 32-bit), and 32-bit x86, compiled with clang. */
export async function compiledElfSamples(): Promise<Buffer[]> {
  const dir = await CrossBuildDir.create('kpkg-fuzz-elf-');
  try {
    const built = await Promise.all([
      dir.compile(CLANG_TOOLCHAINS.ppc64, { kind: 'shared' }),
      dir.compile(CLANG_TOOLCHAINS.ppc64, { kind: 'pie' }),
      dir.compile(clangFor('powerpc', 'powerpc-linux-gnu'), { kind: 'shared' }),
      dir.compile(clangFor('mips', 'mips-linux-gnu'), { kind: 'object' }),
      dir.compile(CLANG_TOOLCHAINS.i386, { kind: 'shared' }),
    ]);
    return await Promise.all(built.map((path) => readFile(path)));
  } finally {
    await dir.remove();
  }
}
