/**
 * The model of a `kpkg smoke` step. A step has a name (what onStep, the timings, failedStep and
 * smoke.log call it), may leave itself out of a run (dkms without --dkms), and reads the run's
 * input and the facts the steps before it made. It ends either with facts for the steps after
 * it, or with a failure and the end of its log, which stops the run. smoke.ts runs SMOKE_STEPS
 * in order: a new step is one module in this folder and one entry in that list.
 */
import type { KernelCompiler } from '../../kernel/compiler.js';
import type { BootReport } from '../boot/report.js';
import type { DkmsRequest, DkmsResult } from '../dkms.js';
import type { Installer } from '../install/installer.js';
import type { ScriptNote } from '../install/script-notes.js';
import type { UnpackedRootfs } from '../rootfs.js';
import type { SandboxLimits } from '../sandbox/limits.js';
import type { SmokeTarget } from '../target.js';

/** How many lines of a failing command's output a failure reports. */
export const LOG_TAIL_LINES = 30;

/** What every step may read: the checked input of the run. */
export interface SmokeInput {
  /** Debian architecture of the target: 'arm64', 'armhf', 'ppc64el', 'riscv64'... */
  readonly debianArch: string;
  /**
   * Headers package(s) to install together, all of one format: .debs (dpkg -i, e.g.
   * linux-headers-<release>_arm64.deb), .rpms (rpm -i, e.g. kernel-devel), pacman packages
   * (pacman -U, e.g. <pkgbase>-headers) or tarballs (tar -x at /).
   */
  readonly packages: readonly string[];
  /** Their installer (src/smoke/install/). */
  readonly installer: Installer;
  /** Kernel release; the module is built with make -C /lib/modules/<release>/build M=<dir> modules. */
  readonly release: string;
  /** Where rootfs tarballs are cached, e.g. ~/.cache/kpkg/rootfs. */
  readonly cacheDir: string;
  /** Debian suite of the target rootfs; default bookworm (trixie for riscv64). */
  readonly suite?: string | undefined;
  /**
   * Debian packages on top of BASE_PACKAGES and of what the installer needs (the debs' own
   * Depends, rpm, pacman... added automatically, so that installing works offline), e.g.
   * libssl-dev when the headers' scripts need it.
   */
  readonly extraPackages?: readonly string[] | undefined;
  /** Debian archive for mmdebstrap; default: the one this machine's apt uses. */
  readonly mirror?: string | undefined;
  /** More make arguments for the module build, e.g. V=1. */
  readonly makeArgs?: readonly string[] | undefined;
  /** The compiler the kernel was built with (Installer.facts): packages that declare it in no Debian terms get it in the rootfs. */
  readonly compiler?: KernelCompiler | undefined;
  /** A rootfs without BASE_COMPILER: the compiler must come from what the packages declare (smoke-rootfs-spec.ts). */
  readonly bareRootfs?: boolean | undefined;
  /** A maintainer script that fails is a warning and the install goes on (--accept-script-failures), instead of failing the run. */
  readonly acceptScriptFailures?: boolean | undefined;
  /** Out-of-tree module source to build instead of kpkg's kpkg_hello. */
  readonly moduleDir?: string | undefined;
  /**
   * DKMS packages of the target suite to install in the rootfs (with dkms) and build with
   * `dkms build -k <release>` against the installed headers, before the sample module.
   */
  readonly dkms?: readonly DkmsRequest[] | undefined;
  /** Rebuild the cached rootfs tarball. */
  readonly refreshRootfs?: boolean | undefined;
  /** Directory that receives the built .ko file(s) and smoke.log. */
  readonly artifactsDir?: string | undefined;
  /** Limits of each command run in the target (its time, processes, memory, disk); default DEFAULT_LIMITS. */
  readonly limits?: SandboxLimits | undefined;
  /**
   * Where the rootfs is unpacked (default: os.tmpdir()). It must allow device nodes, so not
   * /dev/shm (nodev); a tmpfs mounted without nodev makes unpacking and clean-up faster.
   */
  readonly workDir?: string | undefined;
  /** Boot the kernel the image package installed on the target's qemu-system machine and load the modules (--boot). */
  readonly boot?: boolean | undefined;
  /** Limit for the boot, from qemu's start to its exit; default BOOT_TIMEOUT_MS (steps/boot.ts). */
  readonly bootTimeoutMs?: number | undefined;
}

/** What steps made, for the steps after them and for the run's result. */
export interface SmokeFacts {
  /** The unpacked rootfs; the runner removes it at the end unless asked to keep it. */
  rootfs?: UnpackedRootfs;
  /** The rootfs entered: where commands run. */
  target?: SmokeTarget;
  /** /lib/modules/<release>/build, as the packages installed it. */
  buildDir?: string;
  /** The headers tree buildDir leads to in the rootfs, symlinks resolved (e.g. /usr/src/kernels/<release>). */
  buildTree?: string;
  /** What the packages' maintainer scripts did that a headers package should not need: failed or were denied. */
  scripts?: ScriptNote[];
  /** Each DKMS module built, in the order asked. */
  dkms?: DkmsResult[];
  /** The built module(s): paths inside the rootfs, sorted. */
  modules?: string[];
  /** vermagic of the built module. */
  vermagic?: string;
  /** The built module: in artifactsDir when given, else its path inside the rootfs. */
  moduleFile?: string;
  /** The kernel the image package installed (path in the target and on this machine), and whether it can unload modules. */
  bootKernel?: { path: string; host: string; unload: boolean };
  /** How the boot went. */
  boot?: BootReport;
}

/** What the runner gives a step. */
export interface StepContext {
  readonly input: SmokeInput;
  readonly facts: Readonly<SmokeFacts>;
  /** Appends lines to smoke.log. */
  readonly note: (...lines: string[]) => void;
  /** Each line of the tools' output as it comes, with --verbose. */
  readonly onLine: ((line: string) => void) | undefined;
  /** The rootfs tarball unpacked below `parent` (default: the temporary directory), owned by the target's ids. */
  readonly unpackRootfs: (tarball: string, parent?: string) => Promise<UnpackedRootfs>;
  /** The rootfs unpacked at `root` as a target: the one way steps get to run commands in it. */
  readonly enterRootfs: (root: string) => SmokeTarget;
}

/** How a step ended; a failure's logTail is what smoke reports (e.g. "fixdep: Exec format error"). */
export type StepOutcome =
  | { readonly ok: true; readonly facts?: Partial<SmokeFacts> }
  | { readonly ok: false; readonly logTail: string; readonly facts?: Partial<SmokeFacts> };

export interface Step<Name extends string = string> {
  readonly name: Name;
  /** Whether the step belongs in a run of `input`; default: it always does. */
  wanted?(input: SmokeInput): boolean;
  run(context: StepContext): Promise<StepOutcome>;
}

/** A step that ended well, handing `facts` on. */
export function done(facts?: Partial<SmokeFacts>): StepOutcome {
  return facts === undefined ? { ok: true } : { ok: true, facts };
}

/** A step that failed with `logTail`; `facts` still go into the result (e.g. the DKMS results). */
export function failed(logTail: string, facts?: Partial<SmokeFacts>): StepOutcome {
  return facts === undefined ? { ok: false, logTail } : { ok: false, logTail, facts };
}

/** A fact an earlier step must have made; missing, SMOKE_STEPS is in the wrong order. */
export function need<K extends keyof SmokeFacts>(
  facts: Readonly<SmokeFacts>,
  key: K,
  step: string,
): NonNullable<SmokeFacts[K]> {
  const value = facts[key];
  if (value === undefined || value === null)
    throw new Error(`internal: the smoke step '${step}' needs ${key}, which no step before it made`);
  return value;
}
