import type { ArchInfo } from '../arch/arch-table.js';
import { gccMajor, pluginIncludeDir } from '../kernel/headers/gcc-plugins.js';
import { runLibraryProbes, neededProbes, type LibraryProbe, type ProbeOutcome } from '../sysroot/library-probes.js';
import { aptAvailable, chooseLibrarySource } from '../sysroot/library-source.js';
import { defaultTargetSuite, hostRelease } from '../apt/target-release.js';
import { cachedTargetSysroot, pluginDevPackage } from '../sysroot/target-sysroot.js';
import { isDirectory } from '../util/fs.js';
import type { CheckResult, DoctorInput, Fix } from './checks.js';
import { blocked } from './compilers.js';

/**
 * The target's libraries: where they come from (the same choice packaging makes), then one check per
 * library, each compiled with the compiler it needs — and not made when that compiler's check failed.
 */

/** The checks the library probes need: the C library links; the C++ compiler (when checked) works. */
export interface ProbePrerequisites {
  libc: CheckResult;
  cxx: CheckResult | undefined;
}

/** How a missing library gets into the place it is looked for. */
type LibraryFix = (pkg: string) => Fix;

function probeWhat(arch: ArchInfo, probe: LibraryProbe): string {
  return `${probe.library} for ${arch.debian} (${probe.purpose})`;
}

function probeResult(arch: ArchInfo, o: ProbeOutcome, fix: LibraryFix): CheckResult {
  return {
    id: o.probe.id,
    what: probeWhat(arch, o.probe),
    neededFor: 'headers',
    ok: o.ok,
    detail: o.ok ? (o.probe.cxx === true ? 'compiles' : 'links') : o.output,
    fix: fix(o.probe.debianPackage),
  };
}

/** The check a probe's compiler must pass first, when that one failed. */
function failedPrerequisite(probe: LibraryProbe, before: ProbePrerequisites): CheckResult | undefined {
  if (!before.libc.ok) return before.libc;
  return probe.cxx === true && before.cxx !== undefined && !before.cxx.ok ? before.cxx : undefined;
}

/** Runs the probes whose compilers work; the others are reported as not checked. */
async function probeWhereChecked(
  arch: ArchInfo,
  probes: readonly LibraryProbe[],
  before: ProbePrerequisites,
  compilers: { cc: readonly string[]; cxx: readonly string[] },
  root: string | undefined,
  fix: LibraryFix,
): Promise<CheckResult[]> {
  const runnable = probes.filter((p) => failedPrerequisite(p, before) === undefined);
  const outcomes = await runLibraryProbes(runnable, compilers, root);
  return probes.map((p) => {
    const needs = failedPrerequisite(p, before);
    if (needs !== undefined) return blocked(p.id, probeWhat(arch, p), needs);
    const outcome = outcomes.find((o) => o.probe === p);
    if (outcome === undefined) throw new Error(`internal: probe ${p.id} was not run`);
    return probeResult(arch, outcome, fix);
  });
}

/** The option a root was given with, and what kpkg fetches itself when it is left out. */
const LEAVE_OUT = {
  '--sysroot': "the target's libraries",
  '--plugin-sysroot': 'the plugin headers',
} as const;

/** The option to suggest leaving out, when kpkg can fetch instead (apt-get is here). */
async function leaveOut(option: keyof typeof LEAVE_OUT): Promise<keyof typeof LEAVE_OUT | undefined> {
  return (await aptAvailable()) ? option : undefined;
}

/** For a root the user gave: unpack the package into it, or (when kpkg can) let kpkg fetch them itself. */
function unpackInto(arch: ArchInfo, root: string, option: keyof typeof LEAVE_OUT | undefined): LibraryFix {
  const instead = option === undefined ? '' : `   (or leave out ${option}: kpkg fetches ${LEAVE_OUT[option]} itself)`;
  return (pkg) => ({
    debian: `apt-get download ${pkg}:${arch.debian} && dpkg-deb -x ${pkg}_*_${arch.debian}.deb ${root}${instead}`,
  });
}

/** For the build machine's multiarch packages (the architecture is configured, since they were chosen). */
function multiarchInstall(arch: ArchInfo): LibraryFix {
  return (pkg) => ({ debian: `apt-get install ${pkg}:${arch.debian}` });
}

/** For kpkg's own sysroot: made again from fresh package lists. */
function refreshSysroot(arch: ArchInfo): LibraryFix {
  return () => ({ debian: `kpkg sysroot --arch ${arch.debian} --refresh` });
}

export async function libraryChecks(
  input: DoctorInput,
  compilers: { cc: readonly string[]; cxx: readonly string[] },
  before: ProbePrerequisites,
): Promise<CheckResult[]> {
  const { arch } = input;
  const probes = neededProbes(input.features);
  const probe = (root: string | undefined, fix: LibraryFix): Promise<CheckResult[]> =>
    probeWhereChecked(arch, probes, before, compilers, root, fix);
  const source = (ok: boolean, detail: string, fix?: Fix): CheckResult => ({
    id: 'target-libraries',
    what: `where the ${arch.debian} libraries come from`,
    neededFor: 'headers',
    ok,
    detail,
    ...(fix === undefined ? {} : { fix }),
  });
  // Packaging's own choice: checked as it is.
  if (input.libraries !== undefined) {
    const { root, source: from } = input.libraries;
    if (root === undefined) return probe(undefined, multiarchInstall(arch));
    return probe(root, from === 'option' ? unpackInto(arch, root, await leaveOut('--sysroot')) : refreshSysroot(arch));
  }
  if (!before.libc.ok) return probes.map((p) => blocked(p.id, probeWhat(arch, p), before.libc));
  if (input.sysroot !== undefined) {
    const root = input.sysroot;
    return [
      source(true, `--sysroot ${root}`),
      ...(await probe(root, unpackInto(arch, root, await leaveOut('--sysroot')))),
    ];
  }
  const multiarch = await probe(undefined, multiarchInstall(arch));
  const choice = chooseLibrarySource({
    sysrootOption: false,
    // A probe left unchecked is not ready either: packaging would find it failing.
    multiarchReady: multiarch.every((o) => o.ok),
    aptAvailable: await aptAvailable(),
  });
  const packages = probes.map((p) => p.debianPackage).join(', ');
  if (choice === 'multiarch')
    return [source(true, `the build machine's multiarch ${arch.debian} packages`), ...multiarch];
  if (choice === 'unavailable')
    return [
      source(false, `not installed through multiarch, and no apt-get to fetch them`, {
        debian: `unpack the target's ${packages} into a directory and pass --sysroot DIR`,
      }),
    ];
  const cached =
    input.cacheDir === undefined
      ? undefined
      : await cachedTargetSysroot(input.cacheDir, arch.debian, { suite: await packagingSuite(input) });
  if (cached === undefined)
    return [
      source(
        true,
        `not installed through multiarch: kpkg fetches ${packages} for ${arch.debian} with apt into its own sysroot when it packages (\`kpkg sysroot --arch ${arch.debian}\` does it now)`,
      ),
    ];
  return [
    source(true, `kpkg's sysroot (${cached.suite}): ${cached.root}`),
    ...(await probe(cached.root, refreshSysroot(arch))),
  ];
}

/**
 * The suite packaging takes the target's libraries from: only a cached sysroot of that suite says
 * anything about packaging (another release's libraries may need a newer C library than the cross
 * toolchain's).
 */
async function packagingSuite(input: DoctorInput): Promise<string> {
  return input.suite ?? defaultTargetSuite(input.arch.debian, await hostRelease());
}

/** The target gcc's plugin headers: in --plugin-sysroot when given, else in kpkg's sysroot or fetched there. */
export async function pluginHeadersCheck(input: DoctorInput): Promise<CheckResult> {
  const { arch } = input;
  const major = input.gccVersion === undefined ? 12 : gccMajor(input.gccVersion);
  const pkg = pluginDevPackage(major);
  const base = {
    id: 'target-plugin-headers',
    what: `plugin headers of the target's gcc ${major} (${pkg} for ${arch.debian})`,
    neededFor: 'headers' as const,
  };
  const canFetch = await aptAvailable();
  if (input.pluginSysroot !== undefined) {
    const dir = pluginIncludeDir(input.pluginSysroot, arch, major);
    const found = await isDirectory(dir);
    return {
      ...base,
      ok: found,
      detail: found ? `in --plugin-sysroot: ${dir}` : `${dir} is missing`,
      fix: unpackInto(arch, input.pluginSysroot, await leaveOut('--plugin-sysroot'))(pkg),
    };
  }
  const cached =
    input.cacheDir === undefined
      ? undefined
      : await cachedTargetSysroot(input.cacheDir, arch.debian, {
          withPluginsOf: major,
          suite: await packagingSuite(input),
        });
  if (cached !== undefined)
    return { ...base, ok: true, detail: `in kpkg's sysroot: ${pluginIncludeDir(cached.root, arch, major)}` };
  return {
    ...base,
    ok: canFetch,
    detail: canFetch
      ? `kpkg fetches them into its own sysroot when it packages (\`kpkg sysroot --arch ${arch.debian} --gcc-plugins ${major}\` does it now)`
      : 'no apt-get to fetch them with',
    fix: { debian: `unpack ${pkg} for ${arch.debian} into a directory and pass --plugin-sysroot DIR` },
  };
}
