import { execa } from 'execa';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ArchInfo } from '../arch/arch-table.js';

/**
 * Test helper: a target root made on the spot, holding for each library probe
 * (src/sysroot/library-probes.ts) a header that declares what the probe uses and a shared library,
 * built with the target's cross gcc, that defines it — so one header or one library can be taken
 * away and put back, with no package fetched.
 */
interface ProbeFixture {
  header: { path: string; text: string };
  /** lib<name>.so and the C that defines it (none for a probe that only compiles). */
  libraries: Record<string, string>;
}

const FIXTURES: Readonly<Record<string, ProbeFixture>> = {
  'target-libelf': {
    header: { path: 'gelf.h', text: '#define EV_NONE 0\n#define EV_CURRENT 1\nunsigned elf_version(unsigned);\n' },
    libraries: { elf: 'unsigned elf_version(unsigned v) { return v; }\n' },
  },
  'target-libdw': {
    header: {
      path: 'elfutils/libdw.h',
      text: 'typedef struct Dwarf Dwarf;\ntypedef enum { DWARF_C_READ } Dwarf_Cmd;\nDwarf *dwarf_begin(int, Dwarf_Cmd);\n',
    },
    libraries: { dw: 'void *dwarf_begin(int fd, int cmd) { return (void *)0; }\n' },
  },
  'target-zlib': {
    header: { path: 'zlib.h', text: 'const char *zlibVersion(void);\n' },
    libraries: { z: 'const char *zlibVersion(void) { return "1"; }\n' },
  },
  'target-libssl': {
    header: {
      path: 'openssl/evp.h',
      text: 'typedef struct evp_md_ctx_st EVP_MD_CTX;\nEVP_MD_CTX *EVP_MD_CTX_new(void);\n',
    },
    libraries: { crypto: 'void *EVP_MD_CTX_new(void) { return (void *)0; }\n' },
  },
  'target-gmp': {
    header: {
      path: 'gmp.h',
      text: 'typedef struct { int size; } __mpz_struct;\ntypedef __mpz_struct mpz_t[1];\n#ifdef __cplusplus\nextern "C"\n#endif\nvoid mpz_init(mpz_t);\n',
    },
    libraries: {},
  },
};

export class ThrowawaySysroot {
  private constructor(
    readonly root: string,
    private readonly arch: ArchInfo,
  ) {}

  /** A root for `arch` with every probe's header and libraries in place. */
  static async complete(arch: ArchInfo): Promise<ThrowawaySysroot> {
    const sysroot = new ThrowawaySysroot(await mkdtemp(join(tmpdir(), 'kpkg-throwaway-sysroot-')), arch);
    for (const probe of Object.keys(FIXTURES)) {
      await sysroot.addHeader(probe);
      for (const name of Object.keys(FIXTURES[probe]?.libraries ?? {})) await sysroot.addLibrary(probe, name);
    }
    return sysroot;
  }

  private fixture(probe: string): ProbeFixture {
    const fixture = FIXTURES[probe];
    if (fixture === undefined) throw new Error(`no fixture for the probe ${probe}`);
    return fixture;
  }

  headerPath(probe: string): string {
    return join(this.root, 'usr/include', this.fixture(probe).header.path);
  }

  libraryPath(name: string): string {
    return join(this.root, 'usr/lib', this.arch.gnuTriplet, `lib${name}.so`);
  }

  async addHeader(probe: string): Promise<void> {
    const path = this.headerPath(probe);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, this.fixture(probe).header.text);
  }

  async removeHeader(probe: string): Promise<void> {
    await rm(this.headerPath(probe));
  }

  /** Builds lib<name>.so for the target with its cross gcc. */
  async addLibrary(probe: string, name: string): Promise<void> {
    const source = this.fixture(probe).libraries[name];
    if (source === undefined) throw new Error(`the probe ${probe} links no lib${name}`);
    const path = this.libraryPath(name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(`${path}.c`, source);
    await execa(`${this.arch.crossPrefix}gcc`, ['-shared', '-fPIC', '-o', path, `${path}.c`]);
    await rm(`${path}.c`);
  }

  async removeLibrary(name: string): Promise<void> {
    await rm(this.libraryPath(name));
  }

  dispose(): Promise<void> {
    return rm(this.root, { recursive: true, force: true });
  }
}
