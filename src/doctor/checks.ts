import type { ArchInfo } from '../arch/arch-table.js';
import type { PackagingFeatures } from '../kernel/features.js';
import { gccMajor, pluginIncludeDir } from '../kernel/headers/gcc-plugins.js';
import { qemuCpuFor } from '../smoke/debian-arch.js';
import { aptAvailable, chooseLibrarySource } from '../sysroot/library-source.js';
import { cachedTargetSysroot } from '../sysroot/target-sysroot.js';
import { isFile } from '../util/fs.js';
import { onPath } from '../util/on-path.js';
import { defaultCompilers, neededProbes, runLibraryProbes, type ProbeOutcome } from '../sysroot/library-probes.js';
import { probeCompile } from '../sysroot/probe-compile.js';

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
  /** --sysroot as given: the target root to check instead of finding where the libraries come from. */
  sysroot?: string;
  /** Packaging's own choice, checked as it is: the root it compiles with, or multiarch (no root). */
  libraries?: { root: string | undefined };
  /** kpkg's cache, where its fetched sysroots are. */
  cacheDir?: string;
  /** Also check what `kpkg smoke` needs. */
  smoke?: boolean;
}

function multiarchFix(arch: ArchInfo, pkg: string): { debian: string } {
  return {
    debian: `kpkg sysroot --arch ${arch.debian}   (or: dpkg --add-architecture ${arch.debian} && apt-get update && apt-get install ${pkg}:${arch.debian})`,
  };
}

function probeResult(arch: ArchInfo, o: ProbeOutcome, fix: (pkg: string) => { debian: string }): CheckResult {
  return {
    id: o.probe.id,
    what: `${o.probe.library} for ${arch.debian} (${o.probe.purpose})`,
    neededFor: 'headers',
    ok: o.ok,
    detail: o.ok ? (o.probe.cxx === true ? 'compiles' : 'links') : o.output,
    fix: fix(o.probe.debianPackage),
  };
}

export async function runDoctor(input: DoctorInput): Promise<CheckResult[]> {
  const { arch, features } = input;
  const compilers = defaultCompilers(arch, input.cc, input.cxx);
  const results: CheckResult[] = [];

  const compilerFound = await onPath(compilers.cc[0] ?? '');
  results.push({
    id: 'target-compiler',
    what: `C compiler for ${arch.debian} (${compilers.cc[0] ?? ''})`,
    neededFor: 'headers',
    ok: compilerFound,
    detail: compilerFound ? 'found' : 'not on PATH',
    fix: {
      debian: `apt-get install gcc-${arch.gnuTriplet}`,
      fedora: `dnf install gcc-${arch.gnuTriplet} (Fedora's cross compilers have no target C library: use a --sysroot)`,
    },
  });
  const link = compilerFound
    ? await probeCompile(compilers.cc, 'int main(void) { return 0; }\n')
    : { ok: false, output: 'no compiler' };
  results.push({
    id: 'target-libc',
    what: `the ${arch.debian} C library, so host programs can be linked for the target`,
    neededFor: 'headers',
    ok: link.ok,
    detail: link.ok ? 'links' : link.output,
    fix: { debian: `apt-get install libc6-dev-${arch.debian}-cross` },
  });
  const probes = neededProbes(features);
  if (probes.length > 0) {
    if (link.ok) results.push(...(await libraryChecks(input, compilers)));
    else
      for (const p of probes)
        results.push(
          probeResult(arch, { probe: p, ok: false, output: 'the C library is missing first' }, (pkg) =>
            multiarchFix(arch, pkg),
          ),
        );
  }
  if ((features === undefined || features.gccPlugins.length > 0) && input.libraries === undefined)
    results.push(await pluginHeadersCheck(input));
  if (input.smoke === true) {
    const cpu = qemuCpuFor(arch.debian);
    const conf = await isFile(`/usr/lib/binfmt.d/qemu-${cpu}.conf`);
    results.push({
      id: 'smoke-qemu',
      what: `qemu-user for ${cpu} with a binfmt_misc rule`,
      neededFor: 'smoke',
      ok: conf,
      detail: conf ? `/usr/lib/binfmt.d/qemu-${cpu}.conf` : 'no binfmt rule',
      fix: { debian: 'apt-get install qemu-user-static binfmt-support', fedora: 'dnf install qemu-user-static' },
    });
    const mm = await onPath('mmdebstrap');
    results.push({
      id: 'smoke-mmdebstrap',
      what: 'mmdebstrap (builds the target rootfs)',
      neededFor: 'smoke',
      ok: mm,
      detail: mm ? 'found' : 'not on PATH',
      fix: { debian: 'apt-get install mmdebstrap', fedora: 'dnf install mmdebstrap' },
    });
  }
  return results;
}

/** Says where the target's libraries come from (the same choice packaging makes), then checks them there. */
async function libraryChecks(input: DoctorInput, compilers: { cc: string[]; cxx: string[] }): Promise<CheckResult[]> {
  const { arch } = input;
  const probes = neededProbes(input.features);
  const source = (ok: boolean, detail: string, fix?: { debian: string }): CheckResult => ({
    id: 'target-libraries',
    what: `where the ${arch.debian} libraries come from`,
    neededFor: 'headers',
    ok,
    detail,
    ...(fix === undefined ? {} : { fix }),
  });
  const unpackFix =
    (root: string) =>
    (pkg: string): { debian: string } => ({
      debian: `apt-get download ${pkg}:${arch.debian} && dpkg-deb -x ${pkg}_*_${arch.debian}.deb ${root}   (or leave out --sysroot: kpkg fetches the target's libraries itself)`,
    });
  // Packaging's own choice: checked as it is.
  if (input.libraries !== undefined) {
    const root = input.libraries.root;
    return (await runLibraryProbes(probes, compilers, root)).map((o) =>
      probeResult(arch, o, root === undefined ? (pkg) => multiarchFix(arch, pkg) : unpackFix(root)),
    );
  }
  if (input.sysroot !== undefined) {
    const root = input.sysroot;
    return [
      source(true, `--sysroot ${root}`),
      ...(await runLibraryProbes(probes, compilers, root)).map((o) => probeResult(arch, o, unpackFix(root))),
    ];
  }
  const multiarch = await runLibraryProbes(probes, compilers);
  const choice = chooseLibrarySource({
    sysrootOption: false,
    multiarchReady: multiarch.every((o) => o.ok),
    aptAvailable: await aptAvailable(),
  });
  if (choice === 'multiarch')
    return [
      source(true, `the build machine's multiarch ${arch.debian} packages`),
      ...multiarch.map((o) => probeResult(arch, o, (pkg) => multiarchFix(arch, pkg))),
    ];
  if (choice === 'unavailable') {
    return [
      source(false, `not installed through multiarch, and no apt-get to fetch them`, {
        debian: `unpack the target's ${probes.map((p) => p.debianPackage).join(', ')} into a directory and pass --sysroot DIR`,
      }),
      ...multiarch.map((o) => probeResult(arch, o, (pkg) => multiarchFix(arch, pkg))),
    ];
  }
  const cached = input.cacheDir === undefined ? undefined : await cachedTargetSysroot(input.cacheDir, arch.debian);
  if (cached === undefined) {
    return [
      source(
        true,
        `not installed through multiarch: kpkg fetches ${probes.map((p) => p.debianPackage).join(', ')} for ${arch.debian} with apt into its own sysroot when it packages (\`kpkg sysroot --arch ${arch.debian}\` does it now)`,
      ),
    ];
  }
  const refresh = (): { debian: string } => ({ debian: `kpkg sysroot --arch ${arch.debian} --refresh` });
  return [
    source(true, `kpkg's sysroot (${cached.suite}): ${cached.root}`),
    ...(await runLibraryProbes(probes, compilers, cached.root)).map((o) => probeResult(arch, o, refresh)),
  ];
}

async function pluginHeadersCheck(input: DoctorInput): Promise<CheckResult> {
  const { arch } = input;
  const major = input.gccVersion === undefined ? 12 : gccMajor(input.gccVersion);
  const what = `plugin headers of the target's gcc ${major} (gcc-${major}-plugin-dev for ${arch.debian})`;
  const cached =
    input.cacheDir === undefined
      ? undefined
      : await cachedTargetSysroot(input.cacheDir, arch.debian, { withPluginsOf: major });
  if (cached !== undefined)
    return {
      id: 'target-plugin-headers',
      what,
      neededFor: 'headers',
      ok: true,
      detail: `in kpkg's sysroot: ${pluginIncludeDir(cached.root, arch, major)}`,
    };
  const canFetch = await aptAvailable();
  return {
    id: 'target-plugin-headers',
    what,
    neededFor: 'headers',
    ok: canFetch,
    detail: canFetch
      ? `kpkg fetches them into its own sysroot when it packages (\`kpkg sysroot --arch ${arch.debian} --gcc-plugins ${major}\` does it now)`
      : 'no apt-get to fetch them with',
    fix: { debian: `unpack gcc-${major}-plugin-dev for ${arch.debian} into a directory and pass --plugin-sysroot DIR` },
  };
}
