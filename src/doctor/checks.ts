import type { ArchInfo } from '../arch/arch-table.js';
import type { PackagingFeatures } from '../kernel/features.js';
import { gccMajor } from '../kernel/headers/gcc-plugins.js';
import { targetCompilers } from '../kernel/headers/host-programs.js';
import type { TreeFacts } from '../kernel/inspect.js';
import { BINFMT_CONF_DIR } from '../smoke/binfmt.js';
import { qemuCpuFor } from '../smoke/debian-arch.js';
import { openSandbox } from '../smoke/sandbox/sandbox.js';
import { defaultCompilers, neededProbes } from '../sysroot/library-probes.js';
import type { LibrarySource } from '../sysroot/library-source.js';
import { KpkgError } from '../util/errors.js';
import { isFile } from '../util/fs.js';
import { onPath } from '../util/on-path.js';
import { cCompilerCheck, cLibraryCheck, cxxCompilerCheck } from './compilers.js';
import { libraryChecks, pluginHeadersCheck } from './libraries.js';

/**
 * `kpkg doctor`: every piece the packaging and the smoke test need on this machine, one check per
 * cause, each with the command that installs it. A check that needs another (a library probe needs
 * its compiler) is not made when that one failed, and is not counted as missing. Packaging runs
 * the `headers` checks before it writes anything (preflight.ts), so its failures read the same.
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
  fix?: Fix;
  /** Not checked, because the check of this id, which it needs, failed. */
  blockedBy?: string;
}

export interface Fix {
  debian: string;
  fedora?: string;
}

export interface DoctorInput {
  arch: ArchInfo;
  /** The target C compiler as the kernel uses it, e.g. ["aarch64-linux-gnu-gcc"]; default `${crossPrefix}gcc`. */
  cc?: readonly string[];
  /** The target C++ compiler; default the g++ beside cc. */
  cxx?: readonly string[];
  /** The kernel's packaging features; without a tree every optional library is checked. */
  features?: PackagingFeatures;
  /** CONFIG_GCC_VERSION of a gcc-built kernel (the plugin headers' and g++'s major). */
  gccVersion?: number | undefined;
  /** --sysroot as given: the target root to check instead of finding where the libraries come from. */
  sysroot?: string | undefined;
  /** --plugin-sysroot as given: the root holding the target gcc's plugin headers. */
  pluginSysroot?: string | undefined;
  /** Packaging's own choice, checked as it is: the root it compiles with (undefined: multiarch) and where that came from. */
  libraries?: { root: string | undefined; source: LibrarySource };
  /** kpkg's cache, where its fetched sysroots are. */
  cacheDir?: string | undefined;
  /** The release packaging fetches the target's libraries from (--target-suite); default: as `kpkg deb` chooses it. */
  suite?: string | undefined;
  /** Also check what `kpkg smoke` needs. */
  smoke?: boolean;
  /** Where qemu-user's binfmt rules are (default: /usr/lib/binfmt.d). */
  binfmtConfDir?: string;
}

/** What doctor checks for a built tree: its compilers as the rebuild uses them, its features, its gcc. */
export function treeDoctorInput(
  facts: TreeFacts,
): Pick<DoctorInput, 'arch' | 'cc' | 'cxx' | 'features' | 'gccVersion'> {
  const compilers = targetCompilers(facts.toolchain, facts.arch);
  return {
    arch: facts.arch,
    cc: compilers.c,
    cxx: compilers.cxx,
    features: facts.features,
    ...(facts.toolchain.kind === 'gcc' ? { gccVersion: facts.toolchain.version } : {}),
  };
}

/** The checks that failed for their own reason (not those left unchecked behind them). */
export function missingChecks(results: readonly CheckResult[]): CheckResult[] {
  return results.filter((r) => !r.ok && r.blockedBy === undefined);
}

/** GCC plugins are rebuilt (or, without a tree, may be). */
function needsPlugins(features: PackagingFeatures | undefined): boolean {
  return features === undefined || features.gccPlugins.length > 0;
}

export async function runDoctor(input: DoctorInput): Promise<CheckResult[]> {
  const { arch, features } = input;
  const compilers = defaultCompilers(arch, input.cc, input.cxx);
  const compiler = await cCompilerCheck(arch, compilers.cc);
  const libc = await cLibraryCheck(arch, compilers.cc, compiler);
  const results = [compiler, libc];
  const cxx = needsPlugins(features)
    ? await cxxCompilerCheck({
        arch,
        cc: compilers.cc,
        cxx: compilers.cxx,
        gccMajor: input.gccVersion === undefined ? undefined : gccMajor(input.gccVersion),
        purpose: 'GCC plugins',
      })
    : undefined;
  if (cxx !== undefined) results.push(cxx);
  if (neededProbes(features).length > 0) results.push(...(await libraryChecks(input, compilers, { libc, cxx })));
  if (needsPlugins(features) && input.libraries === undefined) results.push(await pluginHeadersCheck(input));
  if (input.smoke === true) results.push(...(await smokeChecks(input)));
  return results;
}

/** Whether this user can make smoke's sandbox here (src/smoke/sandbox/): its one-line reason when not. */
async function sandboxProblem(): Promise<KpkgError | undefined> {
  try {
    await openSandbox();
    return undefined;
  } catch (e) {
    if (e instanceof KpkgError) return e;
    throw e;
  }
}

/** What `kpkg smoke` needs here: qemu-user registered for the target, mmdebstrap, and its sandbox. */
async function smokeChecks(input: DoctorInput): Promise<CheckResult[]> {
  const cpu = qemuCpuFor(input.arch.debian);
  const rule = `${input.binfmtConfDir ?? BINFMT_CONF_DIR}/qemu-${cpu}.conf`;
  const conf = await isFile(rule);
  const mm = await onPath('mmdebstrap');
  const sandbox = await sandboxProblem();
  return [
    {
      id: 'smoke-qemu',
      what: `qemu-user for ${cpu} with a binfmt_misc rule`,
      neededFor: 'smoke',
      ok: conf,
      detail: conf ? rule : `no binfmt rule: ${rule} is missing`,
      fix: { debian: 'apt-get install qemu-user-static binfmt-support', fedora: 'dnf install qemu-user-static' },
    },
    {
      id: 'smoke-mmdebstrap',
      what: 'mmdebstrap (builds the target rootfs)',
      neededFor: 'smoke',
      ok: mm,
      detail: mm ? 'found' : 'mmdebstrap is not on PATH',
      fix: { debian: 'apt-get install mmdebstrap', fedora: 'dnf install mmdebstrap' },
    },
    {
      id: 'smoke-sandbox',
      what: "the sandbox smoke runs the packages' scripts in (a user namespace with subordinate ids, bubblewrap)",
      neededFor: 'smoke',
      ok: sandbox === undefined,
      detail: sandbox === undefined ? 'made one' : sandbox.message,
      fix: {
        debian: sandbox?.hint ?? 'apt-get install bubblewrap uidmap',
        fedora: sandbox?.hint ?? 'dnf install bubblewrap shadow-utils',
      },
    },
  ];
}
