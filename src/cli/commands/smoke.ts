import type { Command } from 'commander';
import { resolve } from 'node:path';
import { rootfsCacheDir } from '../../smoke/cache-dir.js';
import { installerFor } from '../../smoke/detect.js';
import type { HeadersFacts, Installer } from '../../smoke/install/installer.js';
import { KpkgError } from '../../util/errors.js';
import { parseDkmsRequest, type DkmsRequest } from '../../smoke/dkms.js';
import { DEFAULT_LIMITS, limitsFrom } from '../../smoke/sandbox/limits.js';
import { smoke, type SmokeStep } from '../../smoke/smoke.js';
import { BOOT_TIMEOUT_MS, bootMachine } from '../../smoke/steps/boot.js';
import { formatOption, reportFormat } from '../options.js';
import { createProgress } from '../progress.js';
import { smokeMarkdown, smokeText } from '../summaries.js';

interface SmokeCliOptions {
  arch?: string;
  release?: string;
  suite?: string;
  package?: string[];
  json?: boolean;
  format?: string;
  verbose?: boolean;
  keepRootfs?: boolean;
  artifacts?: string;
  dkms?: string[];
  moduleDir?: string;
  boot?: boolean;
  bootTimeout?: string;
  bareRootfs?: boolean;
  acceptScriptFailures?: boolean;
  limit?: string[];
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').filter((v) => v !== '')];
}

function stepDetail(
  step: SmokeStep,
  arch: string,
  release: string,
  bare: boolean,
  installer: Installer,
  dkms: readonly DkmsRequest[],
  moduleDir: string | undefined,
): string {
  switch (step) {
    case 'binfmt':
      return `qemu-user for ${arch} registered with binfmt_misc`;
    case 'rootfs':
      return `Debian ${arch} rootfs with make${bare ? ' and no compiler but what the packages declare' : ', gcc and what the packages declare'} (mmdebstrap; cached after the first run)`;
    case 'install':
      return `${installer.summary}, in the rootfs`;
    case 'dkms':
      return `dkms build -k ${release} for ${dkms.map((d) => d.package).join(', ')}, on emulated ${arch}`;
    case 'build module':
      return `make -C /lib/modules/${release}/build M=<${moduleDir ?? 'kpkg_hello'}> modules, on emulated ${arch}`;
    case 'modinfo':
      return `vermagic of the built module starts with ${release}`;
    case 'check binaries':
      return `every program under /lib/modules/${release}/build (links followed into the headers tree) is an ${arch} binary`;
    case 'boot config':
      return `the image package's kernel is there and its configuration boots on ${bootMachine(arch).machine.binary}`;
    case 'boot':
      return `${bootMachine(arch).machine.binary} boots it with kpkg's initramfs, which loads the image's modules and the built ones`;
  }
}

/** --boot-timeout in milliseconds; a bad value is a usage error. */
function bootTimeoutMs(seconds: string | undefined): number {
  if (seconds === undefined) return BOOT_TIMEOUT_MS;
  const value = Number(seconds);
  if (!Number.isFinite(value) || value <= 0)
    throw new KpkgError(`--boot-timeout ${seconds} is not a number of seconds`, {
      hint: 'e.g. --boot-timeout 600',
      exitCode: 2,
    });
  return Math.round(value * 1000);
}

/** The packages' facts; when they cannot be read from the packages, --release and --arch together stand in. */
async function factsOf(
  installer: Installer,
  packages: readonly string[],
  options: SmokeCliOptions,
): Promise<HeadersFacts> {
  try {
    return await installer.facts(packages);
  } catch (e) {
    if (!(e instanceof KpkgError) || options.release === undefined || options.arch === undefined) throw e;
    return { release: options.release, debianArch: options.arch, compiler: undefined };
  }
}

export function registerSmoke(program: Command): void {
  program
    .command('smoke')
    .description(
      "prove headers packages on the emulated target: install them in a Debian rootfs (qemu-user) with the rootfs's own dpkg, rpm, pacman or tar, and build an out-of-tree module there",
    )
    .argument(
      '<packages...>',
      'the headers package, of one format: a linux-headers .deb (and, for split packages, its -common / linux-kbuild debs), a kernel-devel .rpm, a pacman <pkgbase>-headers .pkg.tar.zst, or a tarball with lib/modules/<release>/build (kpkg tar)',
    )
    .option('-a, --arch <arch>', "Debian architecture of the target (default: the headers package's)")
    .option(
      '-r, --release <release>',
      'kernel release (default: from the linux-headers-<release> name, or the /lib/modules/<release>/build the packages ship)',
    )
    .option(
      '--suite <suite>',
      "Debian suite of the target rootfs (default: the build machine's release; trixie for riscv64 on bookworm)",
    )
    .option('-p, --package <names>', 'more Debian packages for the rootfs (repeatable, comma-separated)', collect)
    .option(
      '--dkms <packages>',
      'DKMS packages of the target suite (name or name=version, repeatable, comma-separated) to install in the rootfs and build with dkms against the headers, before the sample module',
      collect,
    )
    .option(
      '--module-dir <dir>',
      "an out-of-tree module's source (with its Kbuild or Makefile) to build instead of kpkg's sample module",
    )
    .option(
      '--boot',
      "then boot the kernel the image package installed (give the image package too) on the target's qemu-system machine, with an initramfs that loads the image's modules and every module built against the headers",
    )
    .option('--boot-timeout <seconds>', 'limit for the boot, from qemu start to power-off (default 300)')
    .option(
      '--bare-rootfs',
      'a rootfs without a compiler (gcc, libc6-dev): what builds modules must come from what the packages declare',
    )
    .option(
      '--accept-script-failures',
      "a maintainer script that fails is reported as a warning and smoke goes on with the unpacked packages, instead of failing (a vendor's postinst that needs what the emulated target lacks)",
    )
    .option(
      '--limit <name=value>',
      `what each command in the target's sandbox may use (repeatable): time=<seconds> (default ${DEFAULT_LIMITS.timeMs / 1000}), processes=<n> (default ${DEFAULT_LIMITS.processes}), memory=<size> (all its processes together, default ${DEFAULT_LIMITS.memoryBytes / 1024 ** 3}G), disk=<size> (what it may fill, default ${DEFAULT_LIMITS.diskBytes / 1024 ** 3}G)`,
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--artifacts <dir>', 'copy the built module, smoke.log and the boot console here')
    .option('--keep-rootfs', 'keep the unpacked rootfs and print its path')
    .option('--json', 'print machine-readable JSON on stdout')
    .addOption(formatOption())
    .option('-v, --verbose', 'stream mmdebstrap, the installer and make output')
    .action(async (files: string[], options: SmokeCliOptions) => {
      const format = reportFormat(options);
      const progress = createProgress({ verbose: options.verbose });
      try {
        const packages = files.map((f) => resolve(f));
        const installer = await installerFor(packages);
        const facts = await factsOf(installer, packages, options);
        const arch = options.arch ?? facts.debianArch;
        const release = options.release ?? facts.release;
        const dkms = (options.dkms ?? []).map(parseDkmsRequest);
        const limits = limitsFrom(options.limit ?? []);
        const result = await smoke({
          debianArch: arch,
          packages,
          installer,
          release,
          cacheDir: rootfsCacheDir(),
          limits,
          ...(options.suite === undefined ? {} : { suite: options.suite }),
          // No LLVM= for a clang-built kernel: its headers choose the compiler themselves (kernel/compiler.ts).
          ...(options.package === undefined ? {} : { extraPackages: options.package }),
          ...(facts.compiler === undefined ? {} : { compiler: facts.compiler }),
          ...(options.bareRootfs === true ? { bareRootfs: true } : {}),
          ...(options.acceptScriptFailures === true ? { acceptScriptFailures: true } : {}),
          ...(options.artifacts === undefined ? {} : { artifactsDir: resolve(options.artifacts) }),
          ...(dkms.length === 0 ? {} : { dkms }),
          ...(options.moduleDir === undefined ? {} : { moduleDir: resolve(options.moduleDir) }),
          ...(options.keepRootfs === true ? { keepRootfs: true } : {}),
          ...(options.boot === true ? { boot: true, bootTimeoutMs: bootTimeoutMs(options.bootTimeout) } : {}),
          verbose: options.verbose === true,
          onLine: (line) => progress.command(line),
          onStep: (step) =>
            progress.step(
              step,
              stepDetail(step, arch, release, options.bareRootfs === true, installer, dkms, options.moduleDir),
            ),
        });
        progress.finish(result.ok);
        if (format === 'json') {
          process.stdout.write(
            `${JSON.stringify({ release, arch, compiler: facts.compiler ?? null, ...result }, null, 2)}\n`,
          );
        } else if (format === 'markdown') {
          process.stdout.write(smokeMarkdown({ release, arch, compiler: facts.compiler }, result));
        } else {
          const built = options.moduleDir === undefined ? 'kpkg_hello.ko' : `the module in ${options.moduleDir}`;
          process.stdout.write(smokeText(result, { program: installer.program, built, release, arch }));
        }
        if (!result.ok) process.exitCode = 1;
      } catch (e) {
        progress.finish(false);
        throw e;
      }
    });
}
