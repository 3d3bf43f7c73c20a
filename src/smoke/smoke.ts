import { access, copyFile, cp, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KpkgError } from '../util/errors.js';
import { ensureBinfmt } from './binfmt.js';
import { runInChroot, type ChrootRunResult } from './chroot-run.js';
import { debianArchInfo } from './debian-arch.js';
import { aptSpec, buildDkmsModules, type DkmsRequest, type DkmsResult } from './dkms.js';
import { findForeignBinaries, type ForeignBinary } from './foreign-binaries.js';
import { installerFor } from './install/detect.js';
import { findKoFiles } from './ko-files.js';
import type { Installer, SmokeInputFormat } from './install/installer.js';
import { parseModinfo, vermagicMatchesRelease } from './modinfo.js';
import { resolveInRoot } from './path-in-root.js';
import { ensureRootfsTarball, unpackRootfs, type UnpackedRootfs } from './rootfs.js';
import { smokeRootfsSpec } from './smoke-rootfs-spec.js';

/** The steps of a smoke run, in order; onStep gets each as it starts. */
export type SmokeStep = 'binfmt' | 'rootfs' | 'install' | 'dkms' | 'build module' | 'modinfo' | 'check binaries';

export interface SmokeOptions {
  /** Debian architecture of the target: 'arm64', 'armhf', 'ppc64el', 'riscv64'... */
  debianArch: string;
  /**
   * Headers package(s) to install together, all of one format: .debs (dpkg -i, e.g.
   * linux-headers-<release>_arm64.deb), .rpms (rpm -i, e.g. kernel-devel), pacman packages
   * (pacman -U, e.g. <pkgbase>-headers) or tarballs (tar -x at /).
   */
  packages: string[];
  /** Their installer (src/smoke/install/); default: found from the files' contents. */
  installer?: Installer;
  /** Kernel release; the module is built with make -C /lib/modules/<release>/build M=<dir> modules. */
  release: string;
  /** Where rootfs tarballs are cached, e.g. ~/.cache/kpkg/rootfs. */
  cacheDir: string;
  /** Debian suite of the target rootfs; default bookworm (trixie for riscv64). */
  suite?: string;
  /**
   * Debian packages on top of BASE_PACKAGES and of what the installer needs (the debs' own
   * Depends, rpm, pacman... added automatically, so that installing works offline), e.g.
   * libssl-dev when the headers' scripts need it.
   */
  extraPackages?: string[];
  /** Called as each step starts. */
  onStep?: (step: SmokeStep) => void;
  /** Stream every line of mmdebstrap, dpkg, make and modinfo to onLine (default: stderr). */
  verbose?: boolean;
  onLine?: (line: string) => void;
  /** Debian archive for mmdebstrap; default: the one this machine's apt uses. */
  mirror?: string;
  /** More make arguments for the module build, e.g. LLVM=1 for a kernel built with clang. */
  makeArgs?: string[];
  /** Out-of-tree module source to build instead of kpkg's kpkg_hello. */
  moduleDir?: string;
  /**
   * DKMS packages of the target suite to install in the rootfs (with dkms) and build with
   * `dkms build -k <release>` against the installed headers, before the sample module.
   */
  dkms?: readonly DkmsRequest[];
  /** Rebuild the cached rootfs tarball. */
  refreshRootfs?: boolean;
  /** Keep the unpacked rootfs (its path is in the result) instead of deleting it. */
  keepRootfs?: boolean;
  /** Directory that receives the built .ko file(s) and smoke.log. */
  artifactsDir?: string;
  /** Limit for each command run in the target; default 30 minutes. */
  stepTimeoutMs?: number;
  /**
   * Where the rootfs is unpacked (default: os.tmpdir()). It must allow device nodes, so not
   * /dev/shm (nodev); a tmpfs mounted without nodev makes unpacking and clean-up faster.
   */
  workDir?: string;
}

export interface SmokeResult {
  ok: boolean;
  /** vermagic of the built module, e.g. "6.1.0-56-arm64 SMP preempt mod_unload modversions aarch64". */
  vermagic?: string;
  failedStep?: SmokeStep;
  /** Last ~30 lines of the failed step's output (e.g. "fixdep: Exec format error"). */
  logTail?: string;
  /** The built module: in artifactsDir when given, else its path inside the target rootfs. */
  moduleFile?: string;
  /** smoke.log in artifactsDir, when given. */
  logFile?: string;
  /** The unpacked rootfs, when keepRootfs. */
  rootfsDir?: string;
  /** The installer that ran: deb, rpm, pacman or tar. */
  installer?: SmokeInputFormat;
  /** The headers tree /lib/modules/<release>/build leads to in the rootfs, symlinks resolved (e.g. /usr/src/kernels/<release>). */
  buildTree?: string;
  /** Seconds per step, in order. */
  timings: { step: SmokeStep; seconds: number }[];
  /** Each DKMS module built (with --dkms), in the order asked. */
  dkms?: DkmsResult[];
}

const MODULE_DIR_IN_ROOT = '/tmp/kpkg-sample';
const PACKAGES_DIR_IN_ROOT = '/tmp/kpkg-packages';
const TAIL_LINES = 30;

/**
 * "kpkg: 3 program(s) under ... are not arm64 binaries:" and one line per program, at most
 * `max`. On an x86-64 host an x86-64 fixdep is not emulated but run natively, and fails for want
 * of its dynamic loader in the target rootfs: the shell says "not found", a board would say
 * "Exec format error"; this line names the real problem either way.
 */
function foreignSummary(foreign: readonly ForeignBinary[], debianArch: string, max: number): string {
  const lines = foreign.slice(0, max).map((f) => `  ${f.path}: ${f.found}`);
  if (foreign.length > max) lines.push(`  ... and ${foreign.length - max} more`);
  return [`kpkg: ${foreign.length} program(s) in the headers are not ${debianArch} binaries:`, ...lines].join('\n');
}

/** kpkg's hello-world module; shipped as source beside this file's sources. */
export function sampleModuleDir(): string {
  // dist/smoke/smoke.js and src/smoke/smoke.ts both sit two levels below the package root.
  return fileURLToPath(new URL('../../src/smoke/sample-module/', import.meta.url));
}

async function requireReadable(path: string, what: string): Promise<void> {
  try {
    await access(path);
  } catch (cause) {
    throw new KpkgError(`${what} ${path} does not exist`, { where: path, hint: `check the path: ls -l ${path}`, cause });
  }
}

async function validate(opts: SmokeOptions): Promise<Installer> {
  if (process.getuid?.() !== 0) {
    throw new KpkgError('kpkg smoke must run as root: it registers binfmt handlers, mounts and chroots', {
      hint: 'run it again with sudo',
    });
  }
  debianArchInfo(opts.debianArch);
  if (opts.packages.length === 0) throw new KpkgError('kpkg smoke needs at least one headers package to install');
  if (!/^[\w.+~-]+$/.test(opts.release)) {
    throw new KpkgError(`'${opts.release}' is not a kernel release`, { hint: 'pass what `make -s kernelrelease` prints' });
  }
  for (const file of opts.packages) await requireReadable(file, 'package');
  await requireReadable(opts.moduleDir ?? sampleModuleDir(), opts.moduleDir === undefined ? "kpkg's sample module (packaging bug)" : 'module directory');
  return opts.installer ?? (await installerFor(opts.packages));
}

/**
 * Proves that a linux-headers package works on its target: installs it in a fresh emulated
 * rootfs of that architecture, builds an out-of-tree module there with the package's kbuild
 * tools, checks the module's vermagic and that every program in the build directory is a
 * target binary. Problems with the package give ok:false and the failed step's output; problems
 * with this machine (not root, no qemu-user-static, mirror unreachable) throw KpkgError.
 */
export async function smoke(opts: SmokeOptions): Promise<SmokeResult> {
  const installer = await validate(opts);
  const timings: SmokeResult['timings'] = [];
  const log: string[] = [];
  const onLine = opts.verbose ? (opts.onLine ?? ((line: string) => process.stderr.write(`${line}\n`))) : undefined;
  let started = performance.now();
  let current: SmokeStep = 'binfmt';
  const step = (name: SmokeStep): void => {
    timings.push({ step: current, seconds: Math.round((performance.now() - started) / 100) / 10 });
    current = name;
    started = performance.now();
    log.push(`== ${name}`);
    opts.onStep?.(name);
  };
  log.push('== binfmt');
  opts.onStep?.('binfmt');
  await ensureBinfmt(opts.debianArch);

  step('rootfs');
  const tarball = await ensureRootfsTarball(
    await smokeRootfsSpec({ ...opts, installer, extraPackages: [...(opts.extraPackages ?? []), ...(opts.dkms === undefined || opts.dkms.length === 0 ? [] : ['dkms', ...opts.dkms.map(aptSpec)])] }),
    { refresh: opts.refreshRootfs ?? false, ...(onLine === undefined ? {} : { onLine }) },
  );
  log.push(`${tarball.built ? 'built' : 'reused'} ${tarball.path}`);
  const rootfs: UnpackedRootfs = await unpackRootfs(tarball.path, opts.workDir);
  const root = rootfs.dir;

  const run = async (argv: string[], cwd = '/'): Promise<ChrootRunResult> => {
    log.push(`$ ${argv.join(' ')}`);
    const result = await runInChroot(root, argv, {
      cwd,
      tailLines: TAIL_LINES,
      ...(onLine === undefined ? {} : { onLine }),
      ...(opts.stepTimeoutMs === undefined ? {} : { timeoutMs: opts.stepTimeoutMs }),
    });
    log.push(result.output.trimEnd(), `[exit ${result.exitCode}]`);
    return result;
  };
  const finish = async (result: Omit<SmokeResult, 'timings'>): Promise<SmokeResult> => {
    timings.push({ step: current, seconds: Math.round((performance.now() - started) / 100) / 10 });
    const done: SmokeResult = { ...result, installer: installer.format, timings };
    if (!result.ok) log.push(`== failed at ${current}`);
    if (opts.artifactsDir !== undefined) {
      done.logFile = join(opts.artifactsDir, 'smoke.log');
      await mkdir(opts.artifactsDir, { recursive: true });
      await writeFile(done.logFile, `${log.join('\n')}\n`);
    }
    if (opts.keepRootfs) done.rootfsDir = root;
    return done;
  };
  let dkms: DkmsResult[] | undefined;
  const fail = (logTail: string): Promise<SmokeResult> => finish({ ok: false, failedStep: current, logTail, ...(dkms === undefined ? {} : { dkms }) });

  try {
    step('install');
    await mkdir(join(root, PACKAGES_DIR_IN_ROOT), { recursive: true });
    const filesInRoot: string[] = [];
    for (const file of opts.packages) {
      const inRoot = `${PACKAGES_DIR_IN_ROOT}/${basename(file)}`;
      await copyFile(file, join(root, inRoot));
      filesInRoot.push(inRoot);
    }
    for (const [path, text] of Object.entries(installer.setupFiles?.() ?? {})) {
      const hostPath = await resolveInRoot(root, path);
      await mkdir(dirname(hostPath), { recursive: true });
      await writeFile(hostPath, text);
    }
    for (const argv of installer.commands(filesInRoot)) {
      const install = await run(argv);
      if (install.exitCode !== 0) return await fail(install.tail);
      const problem = installer.problemIn?.(install.output);
      if (problem !== undefined) return await fail(`${install.tail}\nkpkg: ${problem}`);
    }
    const buildDir = `/lib/modules/${opts.release}/build`;
    let buildTree: string;
    try {
      const hostTree = await resolveInRoot(root, buildDir);
      await access(join(hostTree, 'Makefile'));
      buildTree = `/${relative(root, hostTree)}`;
      log.push(`${buildDir} is ${buildTree}`);
    } catch {
      const listing = await run(['sh', '-c', `ls -l /lib/modules/ /lib/modules/*/build 2>&1`]);
      return await fail(`the packages installed no ${buildDir}/Makefile (wrong release '${opts.release}'?):\n${listing.tail}`);
    }

    if (opts.dkms !== undefined && opts.dkms.length > 0) {
      step('dkms');
      dkms = await buildDkmsModules(root, run, opts.dkms, opts.release);
      const failed = dkms.filter((d) => !d.ok);
      if (failed.length > 0) {
        const foreign = await findForeignBinaries(root, buildDir, opts.debianArch);
        return await fail(
          [
            ...failed.map((d) => `== ${d.package} (${d.module}/${d.version}) failed:\n${d.logTail ?? ''}`),
            ...(foreign.length === 0 ? [] : [foreignSummary(foreign, opts.debianArch, 5)]),
          ].join('\n'),
        );
      }
    }

    step('build module');
    const moduleHostDir = join(root, MODULE_DIR_IN_ROOT);
    await cp(opts.moduleDir ?? sampleModuleDir(), moduleHostDir, { recursive: true });
    const build = await run(['make', '-C', buildDir, `M=${MODULE_DIR_IN_ROOT}`, ...(opts.makeArgs ?? []), 'modules']);
    if (build.exitCode !== 0) {
      // "fixdep: not found" for a file that is there puzzles people: say which programs are foreign.
      const foreign = await findForeignBinaries(root, buildDir, opts.debianArch);
      return await fail(`${build.tail}${foreign.length === 0 ? '' : `\n${foreignSummary(foreign, opts.debianArch, 5)}`}`);
    }
    const koFiles = await findKoFiles(moduleHostDir);
    if (koFiles.length === 0) return await fail(`${build.tail}\nkpkg: make succeeded but built no .ko file`);

    step('modinfo');
    let vermagic = '';
    for (const ko of koFiles) {
      const koInRoot = `${MODULE_DIR_IN_ROOT}/${relative(moduleHostDir, ko)}`;
      const modinfo = await run(['modinfo', koInRoot]);
      if (modinfo.exitCode !== 0) return await fail(modinfo.tail);
      vermagic = parseModinfo(modinfo.output).get('vermagic')?.[0] ?? '';
      if (!vermagicMatchesRelease(vermagic, opts.release)) {
        return await fail(`${modinfo.tail}\nkpkg: vermagic of ${koInRoot} is '${vermagic}', expected it to start with '${opts.release} '`);
      }
    }
    let moduleFile = `${MODULE_DIR_IN_ROOT}/${relative(moduleHostDir, koFiles[0] ?? '')}`;
    if (opts.artifactsDir !== undefined) {
      await mkdir(opts.artifactsDir, { recursive: true });
      for (const ko of koFiles) await copyFile(ko, join(opts.artifactsDir, basename(ko)));
      moduleFile = resolve(opts.artifactsDir, basename(koFiles[0] ?? ''));
    }

    step('check binaries');
    const foreign = await findForeignBinaries(root, buildDir, opts.debianArch);
    if (foreign.length > 0) {
      log.push(...foreign.map((f) => `${f.path}: ${f.found}`));
      return await fail(foreignSummary(foreign, opts.debianArch, TAIL_LINES - 1));
    }
    return await finish({ ok: true, vermagic, moduleFile, buildTree, ...(dkms === undefined ? {} : { dkms }) });
  } finally {
    if (!opts.keepRootfs) await rootfs.remove();
  }
}
