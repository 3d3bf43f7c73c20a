import { execa } from 'execa';
import type { ArchInfo } from '../kernel/arch-table.js';
import type { PackagingFeatures } from '../kernel/features.js';
import { gccMajor } from '../kernel/headers/gcc-plugins.js';
import { qemuCpuFor } from '../smoke/debian-arch.js';
import { isFile } from '../util/fs.js';
import { probeCompile } from './probe-compile.js';

/**
 * `kpkg doctor`: every piece the packaging and the smoke test need on this machine, each with the
 * command that installs it. Packaging runs the `headers` checks first (preflight.ts), so its
 * failures read the same.
 */
export interface CheckResult {
  id: string;
  /** What is checked, e.g. "libelf for arm64 (objtool, resolve_btfids)". */
  what: string;
  /** 'headers': needed to package; 'smoke': needed to prove the package on the emulated target. */
  neededFor: 'headers' | 'smoke';
  ok: boolean;
  /** Why it failed (the compiler's words), or what was found. */
  detail: string;
  fix?: { debian: string; fedora?: string };
}

export interface DoctorInput {
  arch: ArchInfo;
  /** The target C compiler as the kernel uses it, e.g. ["aarch64-linux-gnu-gcc"]; default `${crossPrefix}gcc`. */
  cc?: readonly string[];
  /** The target C++ compiler; default the g++ beside cc. */
  cxx?: readonly string[];
  /** The kernel's packaging features; without a tree every optional library is checked. */
  features?: PackagingFeatures;
  /** CONFIG_GCC_VERSION of the kernel (for the plugin headers' package name). */
  gccVersion?: number;
  /** Passed to the compiler as --sysroot= (a target root instead of the multiarch paths). */
  sysroot?: string;
  /** Also check what `kpkg smoke` needs. */
  smoke?: boolean;
}

function multiarchFix(arch: ArchInfo, pkg: string): { debian: string } {
  return { debian: `dpkg --add-architecture ${arch.debian} && apt-get update && apt-get install ${pkg}:${arch.debian}` };
}

interface LibraryProbe {
  id: string;
  library: string;
  purpose: string;
  source: string;
  libs: string[];
  debianPackage: string;
  needed: (f: PackagingFeatures | undefined) => boolean;
}

const LIBRARIES: readonly LibraryProbe[] = [
  {
    id: 'target-libelf',
    library: 'libelf',
    purpose: 'objtool, resolve_btfids',
    source: '#include <gelf.h>\nint main(void) { return elf_version(EV_CURRENT) == EV_NONE; }\n',
    libs: ['-lelf'],
    debianPackage: 'libelf-dev',
    needed: (f) => f === undefined || f.objtool || f.debugInfoBtfModules,
  },
  {
    id: 'target-zlib',
    library: 'zlib',
    purpose: 'resolve_btfids',
    source: '#include <zlib.h>\nint main(void) { return zlibVersion() == 0; }\n',
    libs: ['-lz'],
    debianPackage: 'zlib1g-dev',
    needed: (f) => f === undefined || f.debugInfoBtfModules,
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
];

async function onPath(program: string): Promise<boolean> {
  const r = await execa('sh', ['-c', `command -v "$1"`, 'sh', program], { reject: false, stdin: 'ignore' });
  return r.exitCode === 0;
}

export async function runDoctor(input: DoctorInput): Promise<CheckResult[]> {
  const { arch, features } = input;
  const sysrootFlag = input.sysroot === undefined ? [] : [`--sysroot=${input.sysroot}`];
  const cc = [...(input.cc ?? [`${arch.crossPrefix}gcc`]), ...sysrootFlag];
  const last = (input.cc ?? [`${arch.crossPrefix}gcc`]).at(-1) ?? 'gcc';
  const cxx = [...(input.cxx ?? [last.replace(/gcc(-\d+)?$/, 'g++$1')]), ...sysrootFlag];
  const results: CheckResult[] = [];

  const compilerFound = await onPath(cc[0] ?? '');
  results.push({
    id: 'target-compiler',
    what: `C compiler for ${arch.debian} (${cc[0] ?? ''})`,
    neededFor: 'headers',
    ok: compilerFound,
    detail: compilerFound ? 'found' : 'not on PATH',
    fix: { debian: `apt-get install gcc-${arch.gnuTriplet}`, fedora: `dnf install gcc-${arch.gnuTriplet} (Fedora's cross compilers have no target C library: use a --sysroot)` },
  });
  const link = compilerFound ? await probeCompile(cc, 'int main(void) { return 0; }\n') : { ok: false, output: 'no compiler' };
  results.push({
    id: 'target-libc',
    what: `the ${arch.debian} C library, so host programs can be linked for the target`,
    neededFor: 'headers',
    ok: link.ok,
    detail: link.ok ? 'links' : link.output,
    fix: { debian: `apt-get install libc6-dev-${arch.debian}-cross` },
  });
  for (const lib of LIBRARIES.filter((l) => l.needed(features))) {
    const probe = link.ok ? await probeCompile(cc, lib.source, { libs: lib.libs }) : { ok: false, output: 'the C library is missing first' };
    results.push({ id: lib.id, what: `${lib.library} for ${arch.debian} (${lib.purpose})`, neededFor: 'headers', ok: probe.ok, detail: probe.ok ? 'links' : probe.output, fix: multiarchFix(arch, lib.debianPackage) });
  }
  if (features === undefined || features.gccPlugins.length > 0) {
    const gxx = await probeCompile(cxx, '#include <gmp.h>\nint main() { mpz_t x; mpz_init(x); return 0; }\n', { cxx: true, compileOnly: true });
    results.push({
      id: 'target-cxx-gmp',
      what: `C++ compiler and gmp headers for ${arch.debian} (GCC plugins)`,
      neededFor: 'headers',
      ok: gxx.ok,
      detail: gxx.ok ? 'compiles' : gxx.output,
      fix: { debian: `apt-get install g++-${arch.gnuTriplet} && ${multiarchFix(arch, 'libgmp-dev').debian}` },
    });
    const major = input.gccVersion === undefined ? 12 : gccMajor(input.gccVersion);
    const foreign = (await execa('dpkg', ['--print-foreign-architectures'], { reject: false, stdin: 'ignore' })).stdout.split('\n');
    const canFetch = (await isFile('/usr/bin/apt-get')) && (foreign.includes(arch.debian) || (await execa('dpkg', ['--print-architecture'], { reject: false })).stdout.trim() === arch.debian);
    results.push({
      id: 'target-plugin-headers',
      what: `plugin headers of the target's gcc ${major} (gcc-${major}-plugin-dev:${arch.debian}, fetched at packaging time)`,
      neededFor: 'headers',
      ok: canFetch,
      detail: canFetch ? 'apt-get can download it' : `apt-get cannot fetch ${arch.debian} packages here`,
      fix: { debian: `dpkg --add-architecture ${arch.debian} && apt-get update   (or unpack gcc-${major}-plugin-dev:${arch.debian} and pass --plugin-sysroot)` },
    });
  }
  if (input.smoke === true) {
    const cpu = qemuCpuFor(arch.debian);
    const conf = await isFile(`/usr/lib/binfmt.d/qemu-${cpu}.conf`);
    results.push({ id: 'smoke-qemu', what: `qemu-user for ${cpu} with a binfmt_misc rule`, neededFor: 'smoke', ok: conf, detail: conf ? `/usr/lib/binfmt.d/qemu-${cpu}.conf` : 'no binfmt rule', fix: { debian: 'apt-get install qemu-user-static binfmt-support', fedora: 'dnf install qemu-user-static' } });
    const mm = await onPath('mmdebstrap');
    results.push({ id: 'smoke-mmdebstrap', what: 'mmdebstrap (builds the target rootfs)', neededFor: 'smoke', ok: mm, detail: mm ? 'found' : 'not on PATH', fix: { debian: 'apt-get install mmdebstrap', fedora: 'dnf install mmdebstrap' } });
  }
  return results;
}
