/**
 * The target matrix of `tools/test --all`: for each (kernel, config, arch, family) cell, a real tree
 * from tools/kernel-tree is packaged by kpkg — its image package and its headers package(s) — and
 * proved the way a user would prove it:
 * - 0 wrong-arch ELF: `file` (an independent referee) calls every ELF of the headers package the
 *   target's class, byte order and machine, and kpkg counted the same number of ELF files;
 * - `kpkg verify` passes the headers package;
 * - `kpkg smoke --boot` installs the packages on the emulated target, builds a module against the
 *   headers and reads the module's `modinfo` (its vermagic must be the package's release);
 * - boots and loads: smoke then boots the packaged kernel under qemu-system, and the module built
 *   against the headers package loads into it.
 * A failure that comes from the mirror (a package list that does not download or does not resolve)
 * is reported as such for its cell, never dropped.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { FamilyId } from '../package/family.js';
import type { BootReport, ModuleLoad } from '../smoke/boot/report.js';
import { elfFilesByFile, fileSaysFor } from './deb-contents.js';
import { extractPackageInto } from './extract-package.js';
import { builtKernelTree, type TreeSpec } from './kernel-trees.js';
import { runKpkg } from './run-kpkg.js';

export type Series = TreeSpec['series'];
export type Config = 'tiny' | 'full';

export interface Cell {
  readonly series: Series;
  readonly config: Config;
  readonly arch: string;
  /** The package family kpkg writes for the cell (`kpkg deb`, `kpkg rpm`, …). */
  readonly family: FamilyId;
  /** Built with LLVM=1 (clang, ld.lld): its headers must bring clang and pick it, smoke adds no LLVM=. */
  readonly llvm?: boolean;
}

const deb = <C extends Omit<Cell, 'family'>>(cell: C): C & { family: 'deb' } => ({ ...cell, family: 'deb' });

/** The cells of the target matrix ("full" = module signing, BTF, GCC plugins). */
export const MATRIX: readonly Cell[] = [
  ...(['arm64', 's390x'] as const).map((arch) => deb({ series: '5.10', config: 'tiny', arch })),
  ...(['arm64', 'armhf', 's390x', 'i386'] as const).map((arch) => deb({ series: '6.1', config: 'tiny', arch })),
  deb({ series: '6.1', config: 'full', arch: 'arm64' }),
  ...(['arm64', 'armhf', 'riscv64', 'ppc64el', 's390x', 'i386'] as const).map((arch) =>
    deb({ series: '6.12', config: 'tiny', arch }),
  ),
  deb({ series: '6.12', config: 'tiny', arch: 'arm64', llvm: true }),
  deb({ series: '6.12', config: 'full', arch: 'arm64' }),
  ...(['rpm', 'pacman', 'tar'] as const).map(
    (family) => ({ series: '6.12', config: 'full', arch: 'arm64', family }) as const,
  ),
  ...(['arm64', 'riscv64'] as const).map((arch) => deb({ series: 'newest', config: 'tiny', arch })),
  deb({ series: 'newest', config: 'full', arch: 'arm64' }),
];

/** A cell's name for --cells: series/config/arch, then /family unless it is deb. */
export function cellKey(cell: Cell): string {
  const key = `${cell.series}/${cell.config}${cell.llvm === true ? '-llvm' : ''}/${cell.arch}`;
  return cell.family === 'deb' ? key : `${key}/${cell.family}`;
}

/**
 * The cells a --cells list names (comma-separated keys; a key without a family, or with /deb,
 * names the deb cell), in the matrix's order, and the names that are no cell.
 */
export function selectCells(
  list: string | undefined,
  matrix: readonly Cell[] = MATRIX,
): { cells: readonly Cell[]; unknown: string[] } {
  if (list === undefined) return { cells: matrix, unknown: [] };
  const wanted = list
    .split(',')
    .map((c) => c.trim().replace(/\/deb$/, ''))
    .filter((c) => c !== '');
  return {
    cells: matrix.filter((c) => wanted.includes(cellKey(c))),
    unknown: wanted.filter((w) => !matrix.some((c) => cellKey(c) === w)),
  };
}

/**
 * The package kinds (`--only`) of each family that boot a kernel and build its modules: the image
 * package and the headers package. A tarball holds both. The other kinds (debug info, the libc's
 * UAPI headers) are neither written nor installed.
 */
export const BOOT_KINDS: Readonly<Record<FamilyId, { readonly image: string; readonly headers: string }>> = {
  deb: { image: 'image', headers: 'headers' },
  rpm: { image: 'kernel', headers: 'devel' },
  pacman: { image: 'kernel', headers: 'headers' },
  tar: { image: 'tarball', headers: 'tarball' },
};

/** The kinds `kpkg <family> --json` may list that are not for booting (dbg, libc-dev and their like). */
const NOT_FOR_BOOT: Readonly<Record<FamilyId, readonly string[]>> = {
  deb: ['dbg', 'libc-dev'],
  rpm: ['debuginfo', 'headers'],
  pacman: ['debug', 'api-headers'],
  tar: [],
};

export type Outcome = 'pass' | 'fail' | 'mirror';

/**
 * Whether the module built against the headers package loads into the packaged kernel booted on
 * the emulated target: 'loads' (the boot passed and the built module is in /proc/modules),
 * 'fails', or 'refused' (the kernel's configuration cannot boot on the machine: smoke refused it
 * before booting).
 */
export type BootOutcome = 'loads' | 'fails' | 'refused';

export interface CellResult {
  readonly cell: Cell;
  /** The kernel release packaged (e.g. 7.2.13); undefined when no tree was built. */
  readonly release?: string | undefined;
  /** The headers package's checks and smoke's module build: `file`, verify, modinfo's vermagic. */
  readonly outcome: Outcome;
  readonly elfCount?: number | undefined;
  readonly wrongArch?: readonly string[] | undefined;
  readonly verifyClean?: boolean | undefined;
  /** The built module's vermagic, read with modinfo on the emulated target. */
  readonly vermagic?: string | undefined;
  /** Why the cell did not pass: the step and its last words. */
  readonly detail?: string | undefined;
  /** Boots and loads; undefined when smoke did not get to the boot. */
  readonly boot?: BootOutcome | undefined;
  /** Why the boot did not pass: the kernel's words on the built module, else the boot's failures. */
  readonly bootDetail?: string | undefined;
  /** The qemu binary and its -M machine, e.g. "qemu-system-aarch64 -M virt". */
  readonly machine?: string | undefined;
  /** Seconds from qemu's start to the initramfs /init's first line. */
  readonly secondsToInit?: number | undefined;
  /** Seconds the whole `kpkg smoke --boot` took (rootfs, install, module build, boot). */
  readonly smokeSeconds?: number | undefined;
  readonly seconds: number;
}

/**
 * Whether a cell fails the matrix: its packages failed a check, or the module built against them
 * does not load — also when smoke refused to boot the kernel, since tools/kernel-tree gives every
 * tree what its machine needs to boot (BOOT_KCONFIG).
 */
export function cellFailed(result: CellResult): boolean {
  return result.outcome === 'fail' || (result.boot !== undefined && result.boot !== 'loads');
}

/** Messages of a step that failed because of the archive, not of kpkg or the tree. */
const MIRROR_TROUBLE =
  /cannot fetch the package lists|apt cannot resolve|cannot download|Hash Sum mismatch|Release file .* is not valid|unmet dependencies|Failed to fetch/i;

function lastLine(text: string): string {
  return text
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-3)
    .join(' / ')
    .slice(0, 400);
}

interface PackagesJson {
  release: string;
  packages: { path: string; kind: string }[];
  elfCount: number;
}

/** The part of `kpkg smoke --boot --json`'s `boot` the matrix reads. */
export type SmokeBoot = Pick<BootReport, 'ok' | 'command' | 'secondsToInit' | 'seconds' | 'failures'> & {
  modules: Pick<ModuleLoad, 'name' | 'origin' | 'loaded' | 'kernelSays'>[];
};

export interface SmokeJson {
  ok: boolean;
  vermagic?: string | undefined;
  failedStep?: string | undefined;
  logTail?: string | undefined;
  boot?: SmokeBoot | undefined;
}

/** The qemu binary (without its directory) and its -M/-machine value, from the boot's command line. */
export function machineOf(command: string): string {
  const words = command.trim().split(/\s+/);
  const binary = basename(words[0] ?? '');
  const at = words.findIndex((w) => w === '-M' || w === '-machine');
  const machine = at < 0 ? undefined : words[at + 1];
  return machine === undefined ? binary : `${binary} -M ${machine}`;
}

/** Boots and loads, from smoke's JSON: the outcome, and why it is not 'loads' in the kernel's words. */
export function bootOutcome(smoke: SmokeJson): { boot: BootOutcome; bootDetail?: string } {
  const boot = smoke.boot;
  if (smoke.failedStep === 'boot config')
    return { boot: 'refused', bootDetail: lastLine(boot?.failures.join('\n') || (smoke.logTail ?? '')) };
  if (boot === undefined) return { boot: 'fails', bootDetail: 'kpkg smoke --boot reported no boot' };
  const built = boot.modules.filter((m) => m.origin === 'built');
  if (boot.ok && built.some((m) => m.loaded)) return { boot: 'loads' };
  const words = [
    ...built.filter((m) => !m.loaded).map((m) => `${m.name}: ${m.kernelSays.join(' / ') || 'not loaded'}`),
    ...(built.length === 0 ? ['no module built against the headers was loaded'] : []),
    ...boot.failures,
  ];
  return { boot: 'fails', bootDetail: [...new Set(words)].join('; ').slice(0, 400) };
}

export async function runCell(cell: Cell, onStep: (what: string) => void = () => undefined): Promise<CellResult> {
  const started = performance.now();
  const done = (result: Omit<CellResult, 'cell' | 'seconds'>): CellResult => ({
    cell,
    ...result,
    seconds: Math.round((performance.now() - started) / 1000),
  });
  const failed = (step: string, text: string, release?: string): CellResult =>
    done({ release, outcome: MIRROR_TROUBLE.test(text) ? 'mirror' : 'fail', detail: `${step}: ${lastLine(text)}` });

  onStep('kernel tree');
  let objtree: string;
  try {
    objtree = await builtKernelTree({
      series: cell.series,
      arch: cell.arch,
      config: cell.config,
      ...(cell.llvm === true ? { llvm: true } : {}),
    });
  } catch (error) {
    return failed('kernel tree', error instanceof Error ? error.message : String(error));
  }
  const out = await mkdtemp(join(tmpdir(), 'kpkg-matrix-'));
  try {
    const kinds = BOOT_KINDS[cell.family];
    const command = `kpkg ${cell.family}`;
    onStep(command);
    // A tarball is the family's only kind: it has no --only.
    const only = cell.family === 'tar' ? [] : ['--only', `${kinds.image},${kinds.headers}`];
    const made = await runKpkg([cell.family, ...only, '--build-dir', objtree, '--out', out, '--json']);
    if (made.exitCode !== 0) return failed(command, made.stderr);
    const json = JSON.parse(made.stdout) as PackagesJson;
    // Every package listed but debug info and libc headers: the image package, then the headers package(s).
    const set = json.packages.filter((p) => !NOT_FOR_BOOT[cell.family].includes(p.kind));
    const image = set.filter((p) => p.kind === kinds.image);
    const headers = cell.family === 'tar' ? image : set.filter((p) => p.kind !== kinds.image);
    if (image.length === 0 || headers.length === 0)
      return failed(command, `no ${kinds.image} and ${kinds.headers} packages in ${made.stdout}`, json.release);

    onStep('file');
    const unpacked = await mkdtemp(join(tmpdir(), 'kpkg-x-'));
    const elves = await (async () => {
      for (const p of headers) await extractPackageInto(p.path, cell.family, unpacked);
      // The tarball holds the whole kernel: its headers tree is lib/modules/<release>/build.
      return elfFilesByFile(cell.family === 'tar' ? join(unpacked, 'lib/modules', json.release, 'build') : unpacked);
    })().finally(() => rm(unpacked, { recursive: true, force: true }));
    const fileSays = fileSaysFor(cell.arch);
    const wrongArch = [...elves].filter(([, desc]) => !fileSays.test(desc)).map(([path, desc]) => `${path}: ${desc}`);
    const base = { release: json.release, elfCount: elves.size, wrongArch };
    if (wrongArch.length > 0 || elves.size !== json.elfCount) {
      return done({
        ...base,
        outcome: 'fail',
        detail: `file: ${wrongArch.length} wrong-arch ELF, kpkg counted ${json.elfCount} of ${elves.size}${wrongArch[0] === undefined ? '' : `; first: ${wrongArch[0]}`}`,
      });
    }

    onStep('kpkg verify');
    const verify = await runKpkg(['verify', ...headers.map((p) => p.path)]);
    if (verify.exitCode !== 0)
      return { ...failed('kpkg verify', verify.stdout + verify.stderr, json.release), ...base, verifyClean: false };

    onStep('kpkg smoke --boot');
    // smoke works beside the packages: a directory of its own holding only the set.
    const alone = await mkdtemp(join(out, 'smoke-'));
    const copies: string[] = [];
    for (const p of cell.family === 'tar' ? image : [...image, ...headers]) {
      const copy = join(alone, basename(p.path));
      await copyFile(p.path, copy);
      copies.push(copy);
    }
    const smokeStarted = performance.now();
    const smoke = await runKpkg(['smoke', '--boot', ...copies, '--json']);
    const smokeSeconds = Math.round((performance.now() - smokeStarted) / 1000);
    const result = smoke.stdout.trim() === '' ? undefined : (JSON.parse(smoke.stdout) as SmokeJson);
    const bootStep = result?.failedStep === 'boot' || result?.failedStep === 'boot config';
    // Smoke got to the boot when it failed there, reported one, or passed (then without a boot report, it fails).
    const reachedBoot = result !== undefined && (bootStep || result.boot !== undefined || result.ok);
    const booted = !reachedBoot
      ? {}
      : {
          ...bootOutcome(result),
          machine: result.boot === undefined ? undefined : machineOf(result.boot.command),
          secondsToInit: result.boot?.secondsToInit,
        };
    if (!bootStep && (smoke.exitCode !== 0 || result?.ok !== true)) {
      return {
        ...failed(
          `kpkg smoke (${result?.failedStep ?? 'start'})`,
          `${result?.logTail ?? ''}\n${smoke.stderr}`,
          json.release,
        ),
        ...base,
        verifyClean: true,
        ...booted,
        smokeSeconds,
      };
    }
    const figures = { ...base, verifyClean: true, ...booted, smokeSeconds };
    const vermagic = result?.vermagic ?? '';
    if (result?.vermagic === undefined)
      return done({
        ...figures,
        outcome: 'fail',
        detail: `kpkg smoke (${result?.failedStep ?? 'modinfo'}): no module vermagic: ${lastLine(result?.logTail ?? smoke.stderr)}`,
      });
    if (!vermagic.startsWith(`${json.release} `))
      return done({
        ...figures,
        vermagic,
        outcome: 'fail',
        detail: `modinfo: vermagic '${vermagic}' is not for ${json.release}`,
      });
    return done({ ...figures, vermagic, outcome: 'pass' });
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

const MARK: Readonly<Record<Outcome, string>> = { pass: '✅', fail: '❌', mirror: '⚠️ mirror' };
const BOOT_MARK: Readonly<Record<BootOutcome, string>> = { loads: '✅', fails: '❌', refused: '➖' };

function seriesLabel(series: Series, results: readonly CellResult[]): string {
  const release = results.find((r) => r.cell.series === series && r.release !== undefined)?.release;
  const name = series === 'newest' ? 'newest in sid' : series;
  return release === undefined ? name : `${name} (${release})`;
}

/** A cell in the matrix table: its arch (and family unless deb), its packages' mark, then whether it boots and loads. */
function cellMarks(r: CellResult): string {
  const name = r.cell.family === 'deb' ? r.cell.arch : `${r.cell.arch} ${r.cell.family}`;
  return `${name} ${MARK[r.outcome]}${r.boot === undefined ? '' : ` boots ${BOOT_MARK[r.boot]}`}`;
}

/** What the marks of the matrix table say, above it. */
export const MATRIX_LEGEND =
  "Each cell: the arch (and the package family, unless deb), ✅ when `file`, `kpkg verify` and a module build by `kpkg smoke` pass the headers package, then **boots** ✅ when the module built against the headers package loads into the packaged kernel booted under qemu-system on the emulated target (➖: the kernel's configuration cannot boot on that machine; no boots mark: smoke did not get that far).";

/** The matrix as a table: a row per kernel, the cells of each config with their marks, under the legend. */
export function matrixTable(results: readonly CellResult[]): string {
  const series = [...new Set(results.map((r) => r.cell.series))];
  const cellsOf = (s: Series, config: Config): string => {
    const list = results.filter((r) => r.cell.series === s && r.cell.config === config).map(cellMarks);
    return list.length === 0 ? '—' : list.join(', ');
  };
  const lines = [MATRIX_LEGEND, '', '| kernel | tiny | full (signing, BTF, GCC plugins) |', '|---|---|---|'];
  for (const s of series) lines.push(`| ${seriesLabel(s, results)} | ${cellsOf(s, 'tiny')} | ${cellsOf(s, 'full')} |`);
  return `${lines.join('\n')}\n`;
}

const cellText = (text: string): string => text.replace(/\|/g, '\\|');

/** A row per cell with its figures, why a cell did not pass, and why it does not boot and load. */
export function detailTable(results: readonly CellResult[]): string {
  const lines = [
    '| kernel | config | arch | family | ELF (wrong arch) | verify | module vermagic (modinfo on the target) | machine | s to init | smoke s | s | result | boots and loads |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const figure = (n: number | undefined): string =>
    n === undefined ? '—' : Number.isInteger(n) ? String(n) : n.toFixed(1);
  for (const r of results) {
    const elf = r.elfCount === undefined ? '—' : `${r.elfCount} (${r.wrongArch?.length ?? 0})`;
    const verify = r.verifyClean === undefined ? '—' : r.verifyClean ? 'clean' : 'FAILED';
    const result = r.outcome === 'pass' ? MARK.pass : `${MARK[r.outcome]} ${cellText(r.detail ?? '')}`;
    const boot =
      r.boot === undefined
        ? '—'
        : r.bootDetail === undefined
          ? BOOT_MARK[r.boot]
          : `${BOOT_MARK[r.boot]} ${cellText(r.bootDetail)}`;
    lines.push(
      `| ${r.release ?? r.cell.series} | ${r.cell.config}${r.cell.llvm === true ? ' (LLVM=1)' : ''} | ${r.cell.arch} | ${r.cell.family} | ${elf} | ${verify} | ${r.vermagic ?? '—'} | ${r.machine ?? '—'} | ${figure(r.secondsToInit)} | ${figure(r.smokeSeconds)} | ${r.seconds} | ${result} | ${boot} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
