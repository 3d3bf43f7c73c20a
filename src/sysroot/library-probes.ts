import type { ArchInfo } from '../arch/arch-table.js';
import type { PackagingFeatures } from '../kernel/features.js';
import { probeCompile } from './probe-compile.js';

/**
 * The target libraries host programs link, each proved by compiling and linking a small program with
 * the target compiler — against the multiarch paths, or a root given as --sysroot=.
 */
export interface LibraryProbe {
  id: string;
  library: string;
  purpose: string;
  source: string;
  libs: string[];
  /** The Debian -dev package that provides it. */
  debianPackage: string;
  /** Compiled (not linked) with the target C++ compiler instead of the C compiler. */
  cxx?: boolean;
  needed: (f: PackagingFeatures | undefined) => boolean;
}

export const LIBRARY_PROBES: readonly LibraryProbe[] = [
  {
    id: 'target-libelf',
    library: 'libelf',
    purpose: 'objtool, resolve_btfids, gendwarfksyms',
    source: '#include <gelf.h>\nint main(void) { return elf_version(EV_CURRENT) == EV_NONE; }\n',
    libs: ['-lelf'],
    debianPackage: 'libelf-dev',
    needed: (f) => f === undefined || f.objtool || f.debugInfoBtfModules || f.gendwarfksyms,
  },
  {
    id: 'target-libdw',
    library: 'libdw',
    purpose: 'gendwarfksyms (symbol versions from DWARF, 6.14+)',
    source: '#include <elfutils/libdw.h>\nint main(void) { return dwarf_begin(-1, DWARF_C_READ) != 0; }\n',
    libs: ['-ldw', '-lelf'],
    debianPackage: 'libdw-dev',
    needed: (f) => f === undefined || f.gendwarfksyms,
  },
  {
    id: 'target-zlib',
    library: 'zlib',
    purpose: 'resolve_btfids, gendwarfksyms',
    source: '#include <zlib.h>\nint main(void) { return zlibVersion() == 0; }\n',
    libs: ['-lz'],
    debianPackage: 'zlib1g-dev',
    needed: (f) => f === undefined || f.debugInfoBtfModules || f.gendwarfksyms,
  },
  {
    id: 'target-libssl',
    library: 'libcrypto',
    purpose: 'scripts/sign-file for module signing',
    source: '#include <openssl/evp.h>\nint main(void) { return EVP_MD_CTX_new() == 0; }\n',
    libs: ['-lcrypto'],
    debianPackage: 'libssl-dev',
    needed: (f) => f === undefined || f.moduleSig.enabled,
  },
  {
    // Compiled with the C++ compiler, as the plugins are: doctor checks that compiler on its own first.
    id: 'target-gmp',
    library: 'gmp headers',
    purpose: 'GCC plugins',
    source: '#include <gmp.h>\nint main() { mpz_t x; mpz_init(x); return 0; }\n',
    libs: [],
    debianPackage: 'libgmp-dev',
    cxx: true,
    needed: (f) => f === undefined || f.gccPlugins.length > 0,
  },
];

export function neededProbes(features: PackagingFeatures | undefined): LibraryProbe[] {
  return LIBRARY_PROBES.filter((p) => p.needed(features));
}

export interface ProbeOutcome {
  probe: LibraryProbe;
  ok: boolean;
  /** The compiler's words when it failed. */
  output: string;
}

/** Runs the probes with the target compilers, each given `sysroot` as --sysroot= when set. */
export async function runLibraryProbes(
  probes: readonly LibraryProbe[],
  compilers: { cc: readonly string[]; cxx: readonly string[] },
  sysroot?: string,
): Promise<ProbeOutcome[]> {
  const flag = sysroot === undefined ? [] : [`--sysroot=${sysroot}`];
  const outcomes: ProbeOutcome[] = [];
  for (const probe of probes) {
    const compiler = [...(probe.cxx === true ? compilers.cxx : compilers.cc), ...flag];
    const r = await probeCompile(
      compiler,
      probe.source,
      probe.cxx === true ? { cxx: true, compileOnly: true } : { libs: probe.libs },
    );
    outcomes.push({ probe, ok: r.ok, output: r.output });
  }
  return outcomes;
}

/** The compilers doctor uses for a target when no tree names them: `<prefix>gcc` and its g++. */
export function defaultCompilers(
  arch: ArchInfo,
  cc?: readonly string[],
  cxx?: readonly string[],
): { cc: string[]; cxx: string[] } {
  const c = [...(cc ?? [`${arch.crossPrefix}gcc`])];
  const last = c.at(-1) ?? 'gcc';
  return { cc: c, cxx: [...(cxx ?? [...c.slice(0, -1), last.replace(/gcc(-\d+)?$/, 'g++$1')])] };
}
