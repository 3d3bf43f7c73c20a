/**
 * The target matrix of `tools/test --all`: for each (kernel, config, arch) cell, a real tree
 * from tools/kernel-tree is packaged by kpkg and proved the way a user would prove it:
 * - 0 wrong-arch ELF: `file` (an independent referee) calls every ELF of the headers package the
 *   target's class, byte order and machine, and kpkg counted the same number of ELF files;
 * - `kpkg verify` passes the package;
 * - `kpkg smoke` installs it on the emulated target, builds a module against it and reads the
 *   module's `modinfo` (its vermagic must be the package's release).
 * A failure that comes from the mirror (a package list that does not download or does not resolve)
 * is reported as such for its cell, never dropped.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { elfFilesByFile, extractDeb, fileSaysFor } from './deb-contents.js';
import { builtKernelTree, type TreeSpec } from './kernel-trees.js';
import { runKpkg } from './run-kpkg.js';

export type Series = TreeSpec['series'];
export type Config = 'tiny' | 'full';

export interface Cell {
  readonly series: Series;
  readonly config: Config;
  readonly arch: string;
}

/** The cells of the target matrix ("full" = module signing, BTF, GCC plugins). */
export const MATRIX: readonly Cell[] = [
  ...(['arm64', 's390x'] as const).map((arch) => ({ series: '5.10', config: 'tiny', arch }) as const),
  ...(['arm64', 'armhf', 's390x', 'i386'] as const).map((arch) => ({ series: '6.1', config: 'tiny', arch }) as const),
  { series: '6.1', config: 'full', arch: 'arm64' },
  ...(['arm64', 'armhf', 'riscv64', 'ppc64el', 's390x', 'i386'] as const).map(
    (arch) => ({ series: '6.12', config: 'tiny', arch }) as const,
  ),
  { series: '6.12', config: 'full', arch: 'arm64' },
  ...(['arm64', 'riscv64'] as const).map((arch) => ({ series: 'newest', config: 'tiny', arch }) as const),
  { series: 'newest', config: 'full', arch: 'arm64' },
];

export type Outcome = 'pass' | 'fail' | 'mirror';

export interface CellResult {
  readonly cell: Cell;
  /** The kernel release packaged (e.g. 7.2.13); undefined when no tree was built. */
  readonly release?: string | undefined;
  readonly outcome: Outcome;
  readonly elfCount?: number | undefined;
  readonly wrongArch?: readonly string[] | undefined;
  readonly verifyClean?: boolean | undefined;
  /** The built module's vermagic, read with modinfo on the emulated target. */
  readonly vermagic?: string | undefined;
  /** Why the cell did not pass: the step and its last words. */
  readonly detail?: string | undefined;
  readonly seconds: number;
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

interface HeadersJson {
  release: string;
  packages: { path: string }[];
  elfCount: number;
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
    objtree = await builtKernelTree({ series: cell.series, arch: cell.arch, config: cell.config });
  } catch (error) {
    return failed('kernel tree', error instanceof Error ? error.message : String(error));
  }
  const out = await mkdtemp(join(tmpdir(), 'kpkg-matrix-'));
  try {
    onStep('kpkg deb');
    const deb = await runKpkg(['deb', '--only', 'headers', '--build-dir', objtree, '--out', out, '--json']);
    if (deb.exitCode !== 0) return failed('kpkg deb', deb.stderr);
    const json = JSON.parse(deb.stdout) as HeadersJson;
    const headers = json.packages[0]?.path ?? '';

    onStep('file');
    const unpacked = await extractDeb(headers);
    const elves = await elfFilesByFile(unpacked).finally(() => rm(unpacked, { recursive: true, force: true }));
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
    const verify = await runKpkg(['verify', headers]);
    if (verify.exitCode !== 0)
      return { ...failed('kpkg verify', verify.stdout + verify.stderr, json.release), ...base, verifyClean: false };

    onStep('kpkg smoke');
    // smoke works beside the package: a directory of its own.
    const alone = join(await mkdtemp(join(out, 'smoke-')), 'headers.deb');
    await copyFile(headers, alone);
    const smoke = await runKpkg(['smoke', alone, '--json']);
    const result =
      smoke.stdout.trim() === ''
        ? undefined
        : (JSON.parse(smoke.stdout) as { ok: boolean; vermagic?: string; failedStep?: string; logTail?: string });
    if (smoke.exitCode !== 0 || result?.ok !== true) {
      return {
        ...failed(
          `kpkg smoke (${result?.failedStep ?? 'start'})`,
          `${result?.logTail ?? ''}\n${smoke.stderr}`,
          json.release,
        ),
        ...base,
        verifyClean: true,
      };
    }
    const vermagic = result.vermagic ?? '';
    if (!vermagic.startsWith(`${json.release} `))
      return done({
        ...base,
        verifyClean: true,
        vermagic,
        outcome: 'fail',
        detail: `modinfo: vermagic '${vermagic}' is not for ${json.release}`,
      });
    return done({ ...base, verifyClean: true, vermagic, outcome: 'pass' });
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

const MARK: Readonly<Record<Outcome, string>> = { pass: '✅', fail: '❌', mirror: '⚠️ mirror' };

function seriesLabel(series: Series, results: readonly CellResult[]): string {
  const release = results.find((r) => r.cell.series === series && r.release !== undefined)?.release;
  const name = series === 'newest' ? 'newest in sid' : series;
  return release === undefined ? name : `${name} (${release})`;
}

/** The matrix as a table: a row per kernel, the arches of each config with their marks. */
export function matrixTable(results: readonly CellResult[]): string {
  const series = [...new Set(results.map((r) => r.cell.series))];
  const cellsOf = (s: Series, config: Config): string => {
    const list = results
      .filter((r) => r.cell.series === s && r.cell.config === config)
      .map((r) => `${r.cell.arch} ${MARK[r.outcome]}`);
    return list.length === 0 ? '—' : list.join(', ');
  };
  const lines = ['| kernel | tiny | full (signing, BTF, GCC plugins) |', '|---|---|---|'];
  for (const s of series) lines.push(`| ${seriesLabel(s, results)} | ${cellsOf(s, 'tiny')} | ${cellsOf(s, 'full')} |`);
  return `${lines.join('\n')}\n`;
}

/** A row per cell with its figures, and why a cell did not pass. */
export function detailTable(results: readonly CellResult[]): string {
  const lines = [
    '| kernel | config | arch | ELF (wrong arch) | verify | module vermagic (modinfo on the target) | s | result |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const elf = r.elfCount === undefined ? '—' : `${r.elfCount} (${r.wrongArch?.length ?? 0})`;
    const verify = r.verifyClean === undefined ? '—' : r.verifyClean ? 'clean' : 'FAILED';
    const result = r.outcome === 'pass' ? MARK.pass : `${MARK[r.outcome]} ${(r.detail ?? '').replace(/\|/g, '\\|')}`;
    lines.push(
      `| ${r.release ?? r.cell.series} | ${r.cell.config} | ${r.cell.arch} | ${elf} | ${verify} | ${r.vermagic ?? '—'} | ${r.seconds} | ${result} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
