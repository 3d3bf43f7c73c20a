/**
 * The boot steps of `kpkg smoke --boot`: first the kernel's configuration is checked against what
 * booting on the architecture's qemu-system machine needs (refused with the options to add, before
 * any module is built), then, after every other step, the kernel file the image package installed
 * is booted with an initramfs kpkg writes (../boot/), which loads the image's own modules and every
 * module built against the headers, and the serial console says how that went.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archByDebian, type ArchInfo, type QemuSystem } from '../../arch/arch-table.js';
import { KpkgError } from '../../util/errors.js';
import { isFile } from '../../util/fs.js';
import { bootConfigRefusal, bootConfigVerdict, builtInOptions } from '../boot/boot-config.js';
import { bootFailures, readConsole, type ConsoleLine } from '../boot/console.js';
import { initScript } from '../boot/init-script.js';
import { planInitramfs, writeInitramfs } from '../boot/initramfs.js';
import { decompressKernel } from '../boot/kernel-file.js';
import { runQemu } from '../boot/qemu.js';
import type { BootReport, ModuleOrigin } from '../boot/report.js';
import { findKoFiles } from '../ko-files.js';
import { resolveInRoot } from '../path-in-root.js';
import type { SmokeTarget } from '../target.js';
import { done, failed, LOG_TAIL_LINES, need, type SmokeInput, type Step, type StepContext } from './step.js';

/** Default limit for one boot, from qemu's start to its exit. */
export const BOOT_TIMEOUT_MS = 300_000;
/** Memory of the emulated machine. */
const MEMORY = '512';

/** The machine that boots the target's kernels; a KpkgError when kpkg knows none for it. */
export function bootMachine(debianArch: string): { arch: ArchInfo; machine: QemuSystem } {
  const arch = archByDebian(debianArch);
  const machine = arch?.qemuSystem;
  if (arch === undefined || machine === undefined) {
    const known = [
      ...new Set(
        [archByDebian('arm64'), archByDebian('armhf')].flatMap((a) => (a?.qemuSystem === undefined ? [] : [a.debian])),
      ),
    ];
    throw new KpkgError(`kpkg smoke --boot knows no qemu-system machine for ${debianArch}`, {
      hint: `leave out --boot for ${debianArch} (known machines: src/arch/arch-table.ts, e.g. ${known.join(', ')})`,
    });
  }
  return { arch, machine };
}

const wantsBoot = (input: SmokeInput): boolean => input.boot === true;

export const bootConfigStep: Step<'boot config'> = {
  name: 'boot config',
  wanted: wantsBoot,
  async run({ input, facts, note }) {
    const target = need(facts, 'target', 'boot config');
    const buildTree = need(facts, 'buildTree', 'boot config');
    const { arch, machine } = bootMachine(input.debianArch);
    const kernelFile = input.installer.kernelFile(arch, input.release);
    const kernelHost = await resolveInRoot(target.root, kernelFile);
    if (!(await isFile(kernelHost))) {
      return failed(
        `kpkg: the packages installed no kernel at ${kernelFile}: --boot needs the image package of ${input.release} in the set, beside the headers`,
      );
    }
    const configFile = `${buildTree}/.config`;
    let config: string;
    try {
      config = await readFile(await resolveInRoot(target.root, configFile), 'utf8');
    } catch {
      return failed(`kpkg: the headers installed no ${configFile}: cannot tell whether the kernel boots`);
    }
    const verdict = bootConfigVerdict(config, machine);
    if (verdict.missing.length > 0)
      return failed(`kpkg: ${bootConfigRefusal(arch, machine, configFile, verdict)}\n${verdict.fragment}`);
    note(`${kernelFile} boots on ${machine.binary} ${machine.machineArgs.join(' ')} (console ${machine.console})`);
    return done({
      bootKernel: { path: kernelFile, host: kernelHost, unload: builtInOptions(config).has('MODULE_UNLOAD') },
    });
  },
};

/** The modules built against the headers (sample or --module-dir, and DKMS), as paths in the rootfs. */
function builtModules(context: StepContext): string[] {
  const { facts } = context;
  return [...(facts.modules ?? []), ...(facts.dkms ?? []).flatMap((d) => d.moduleFiles ?? [])];
}

/** What each built module's modinfo says it depends on (kmod's modinfo, in the rootfs). */
async function dependsOf(
  target: SmokeTarget,
  modules: readonly string[],
): Promise<{ path: string; depends: string[] }[]> {
  const out: { path: string; depends: string[] }[] = [];
  for (const path of modules) {
    const info = await target.run(['modinfo', '-F', 'depends', path]);
    out.push({
      path,
      depends: info.output
        .trim()
        .split(',')
        .map((d) => d.trim())
        .filter((d) => d !== ''),
    });
  }
  return out;
}

function consoleTail(lines: readonly ConsoleLine[]): string {
  return lines
    .slice(-LOG_TAIL_LINES)
    .map((l) => l.text)
    .join('\n');
}

/**
 * Runs the target's depmod when the packages left the modules without modules.dep (their package
 * manager's hook makes it on a real system); whether it ran.
 */
async function ensureModuleIndexes(
  target: SmokeTarget,
  release: string,
  note: (line: string) => void,
): Promise<boolean> {
  const modulesDir = await resolveInRoot(target.root, `/lib/modules/${release}`);
  if (await isFile(join(modulesDir, 'modules.dep'))) return false;
  if ((await findKoFiles(modulesDir).catch(() => [])).length === 0) return false;
  note(`no /lib/modules/${release}/modules.dep: running depmod as the package manager's hook would`);
  const result = await target.run(['depmod', release]);
  if (result.exitCode !== 0) throw new KpkgError(`depmod ${release} failed in the target rootfs: ${result.tail}`);
  return true;
}

async function bootIn(context: StepContext, work: string): Promise<ReturnType<Step['run']>> {
  const { input, facts, note } = context;
  const target = need(facts, 'target', 'boot');
  const kernel = need(facts, 'bootKernel', 'boot');
  const { machine } = bootMachine(input.debianArch);
  const ranDepmod = await ensureModuleIndexes(target, input.release, note);
  const plan = await planInitramfs({
    root: target.root,
    release: input.release,
    built: await dependsOf(target, builtModules(context)),
  });
  const nonce = randomBytes(6).toString('hex');
  const initrd = join(work, 'initramfs.cpio');
  const size = await writeInitramfs(plan, initScript({ nonce, modules: plan.loads, unload: kernel.unload }), initrd);
  const decompressedFile = join(work, 'kernel');
  const decompressed = machine.kernelFile === 'decompressed' && (await decompressKernel(kernel.host, decompressedFile));
  const append = `console=${machine.console} panic=-1 rdinit=/init`;
  const args = [...machine.machineArgs, '-m', MEMORY, '-smp', '1', '-nographic', '-no-reboot'];
  const argv = [
    machine.binary,
    ...args,
    '-kernel',
    decompressed ? decompressedFile : kernel.host,
    '-initrd',
    initrd,
    '-append',
    append,
  ];
  const command = [
    machine.binary,
    ...args,
    '-kernel',
    `${kernel.path}${decompressed ? ' (decompressed)' : ''}`,
    '-initrd',
    `initramfs.cpio (${size} bytes)`,
    '-append',
    `'${append}'`,
  ].join(' ');
  note(`$ ${command}`);
  const run = await runQemu(argv, { timeoutMs: input.bootTimeoutMs ?? BOOT_TIMEOUT_MS, onLine: context.onLine });
  note(
    ...run.lines.map((l) => l.text),
    `[qemu exit ${run.exitCode}${run.timedOut ? ', killed on timeout' : ''}, ${run.seconds} s]`,
  );
  const origins = new Map<string, ModuleOrigin>(
    plan.loads.map((l) => [l.name, l.load.with === 'modprobe' ? 'image' : 'built'] as const),
  );
  const reading = readConsole(run.lines, nonce, origins);
  const failures = bootFailures(reading, input.release, run);
  if (run.droppedLines > 0)
    failures.push(`the console printed more than ${run.lines.length} lines (${run.droppedLines} more dropped)`);
  const report: BootReport = {
    ok: failures.length === 0,
    command,
    kernelFile: kernel.path,
    decompressed,
    ranDepmod,
    secondsToInit: reading.secondsToInit,
    seconds: run.seconds,
    uname: reading.uname,
    modules: reading.modules,
    taint: reading.taint,
    problems: reading.problems,
    failures,
  };
  if (input.artifactsDir !== undefined) {
    await mkdir(input.artifactsDir, { recursive: true });
    report.consoleFile = join(input.artifactsDir, 'console.log');
    await writeFile(report.consoleFile, run.lines.map((l) => `${l.text}\n`).join(''));
  }
  if (report.ok) return done({ boot: report });
  return failed(`${consoleTail(run.lines)}\n${failures.map((f) => `kpkg: ${f}`).join('\n')}`, { boot: report });
}

export const bootStep: Step<'boot'> = {
  name: 'boot',
  wanted: wantsBoot,
  async run(context) {
    const work = await mkdtemp(join(context.input.workDir ?? tmpdir(), 'kpkg-boot-'));
    try {
      return await bootIn(context, work);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
};
