/**
 * How fast `kpkg verify` reads a .deb, relative to the floor: decompressing its data member with
 * the system tool (`xz -d`; `zstd -d` / `gzip -d` for such members). Runs each measurement
 * several times, interleaved so that load from other processes hits all of them alike, and
 * prints the medians and ratios. Goal: verify / decompress ≤ 1.3.
 *
 *   bench/verify [--runs N] DEB...            (builds what it needs, then runs this file)
 *
 * "CLI" is the whole `node dist/cli/bin.js verify DEB --json` process, Node start-up included;
 * "in process" is the verify() call alone, as a long-running caller sees it.
 *
 * Also writes the same figures to docs/bench/verify.md (committed, replaced by every run, with the
 * machine, the date and the commit measured): the only place they are written.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { mkdir, mkdtemp, open, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { readAr } from '../src/archive/ar.js';
import { verify } from '../src/verify/verify.js';
import { median, MiB, seconds } from './measure.js';

// This file runs as bench/out/bench/verify.js.
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(REPO, 'dist/cli/bin.js');

const DECOMPRESS: Readonly<Record<string, readonly string[]>> = {
  '.xz': ['xz', '-d', '-c'],
  '.zst': ['zstd', '-d', '-c', '-q'],
  '.gz': ['gzip', '-d', '-c'],
  '.bz2': ['bzip2', '-d', '-c'],
};

/**
 * CPU time (ms) of this process's waited-for children so far: cutime + cstime of /proc/self/stat
 * (proc(5)), in clock ticks of 10 ms. It includes the children's own children (verify's xz).
 */
function childrenCpu(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

interface Sample {
  wall: number;
  cpu: number;
}

/** Runs a command with stdin from a file (or nothing) and stdout discarded: wall and CPU time in ms. */
async function timed(command: readonly string[], stdinFile?: string): Promise<Sample> {
  const [program = '', ...args] = command;
  const input = stdinFile === undefined ? undefined : await open(stdinFile, 'r');
  const cpuBefore = childrenCpu();
  const started = performance.now();
  try {
    const child = spawn(program, args, { stdio: [input?.fd ?? 'ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    // verify exits 1 when it has error-level findings; that is a result, not a failure.
    if (code !== 0 && code !== 1) throw new Error(`${command.join(' ')} exited ${code ?? 'by signal'}: ${stderr}`);
    return { wall: performance.now() - started, cpu: childrenCpu() - cpuBefore };
  } finally {
    await input?.close();
  }
}

async function extractDataMember(deb: string, dir: string): Promise<{ path: string; name: string; size: number }> {
  for await (const member of readAr(createReadStream(deb), { where: deb })) {
    if (!member.name.startsWith('data.tar')) continue;
    const path = join(dir, member.name);
    await pipeline(member.body, createWriteStream(path));
    return { path, name: member.name, size: member.size };
  }
  throw new Error(`${deb} has no data.tar member`);
}

/** verify() in this process: wall time, and CPU of this process plus its decompressor children. */
async function timedInProcess(deb: string): Promise<Sample> {
  const children = childrenCpu();
  const own = process.cpuUsage();
  const started = performance.now();
  await verify({ inputs: [deb] });
  const used = process.cpuUsage(own);
  return { wall: performance.now() - started, cpu: (used.user + used.system) / 1000 + childrenCpu() - children };
}

/** One measured command: its label, its samples, and whether its ratio to the floor is shown. */
interface Measured {
  label: string;
  samples: readonly Sample[];
  ratio: boolean;
}

/** A markdown table of one package's figures, for docs/bench/verify.md. */
function markdownTable(heading: string, rows: readonly Measured[], floor: number): string {
  const line = ({ label, samples, ratio }: Measured): string => {
    const wall = median(samples.map((s) => s.wall));
    const cpu = median(samples.map((s) => s.cpu));
    const runsText = samples.map((v) => (v.wall / 1000).toFixed(2)).join(' ');
    return `| ${label} | ${seconds(wall)} | ${ratio ? (wall / floor).toFixed(2) : ''} | ${seconds(cpu)} | ${runsText} |`;
  };
  return [
    `### ${heading}`,
    '',
    '| what | wall (median) | ÷ floor | CPU (median) | runs (s) |',
    '|---|---|---|---|---|',
    ...rows.map(line),
    '',
  ].join('\n');
}

async function bench(deb: string, runs: number, work: string): Promise<string> {
  const data = await extractDataMember(deb, work);
  const suffix = Object.keys(DECOMPRESS).find((s) => data.name.endsWith(s));
  const tool = suffix === undefined ? undefined : DECOMPRESS[suffix];
  if (tool === undefined)
    throw new Error(`${deb}: data member ${data.name} is not compressed; nothing to compare with`);
  const samples = { tool: [] as Sample[], cli: [] as Sample[], inProcess: [] as Sample[] };
  // One warm-up of each (page cache, JIT), not counted.
  await timed(tool, data.path);
  await timed([process.execPath, CLI, 'verify', deb, '--json']);
  await timedInProcess(deb);
  for (let i = 0; i < runs; i++) {
    samples.tool.push(await timed(tool, data.path));
    samples.cli.push(await timed([process.execPath, CLI, 'verify', deb, '--json']));
    samples.inProcess.push(await timedInProcess(deb));
  }
  const floor = median(samples.tool.map((s) => s.wall));
  const line = (label: string, values: readonly Sample[], ratio: boolean): string => {
    const wall = median(values.map((s) => s.wall));
    const cpu = median(values.map((s) => s.cpu));
    const runsText = values.map((v) => (v.wall / 1000).toFixed(2)).join(' ');
    return `  ${label.padEnd(28)} wall ${seconds(wall)}${ratio ? `  ratio ${(wall / floor).toFixed(2)}` : '            '}  cpu ${seconds(cpu)}  (runs: ${runsText})\n`;
  };
  const heading = `${basename(deb)}: ${data.name} ${MiB(data.size)} (${MiB((await stat(deb)).size)} package), medians of ${runs}`;
  const rows: Measured[] = [
    { label: `${tool.join(' ')} (floor)`, samples: samples.tool, ratio: false },
    { label: 'kpkg verify, CLI process', samples: samples.cli, ratio: true },
    { label: 'verify(), in process', samples: samples.inProcess, ratio: true },
  ];
  process.stdout.write(`${heading}\n`);
  for (const row of rows) process.stdout.write(line(row.label, row.samples, row.ratio));
  return markdownTable(heading, rows, floor);
}

/** The commit measured, with "+ uncommitted changes" when the work tree differs from it. */
function measuredCommit(): string {
  try {
    const git = (...args: string[]): string => execFileSync('git', ['-C', REPO, ...args], { encoding: 'utf8' }).trim();
    const changed = git('status', '--porcelain', '--untracked-files=no') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${changed ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** docs/bench/verify.md: the tables of one whole run, replaced by the next run. */
async function writeResultsMarkdown(runs: number, machine: string, tables: readonly string[]): Promise<string> {
  const file = join(REPO, 'docs/bench/verify.md');
  const text = [
    '# bench/verify: the last run',
    '',
    'Written by `bench/verify` (bench/verify.ts) at the end of every run and replaced by the next one;',
    'do not edit by hand. What the rows mean: docs/benchmarks.md. Goal: verify ÷ floor ≤ 1.3.',
    '',
    `- command: \`bench/verify --runs ${String(runs)} DEB...\``,
    `- date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- kpkg commit: ${measuredCommit()}`,
    `- machine: ${machine}`,
    '',
    ...tables,
  ].join('\n');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function main(argv: readonly string[]): Promise<void> {
  let runs = 5;
  const debs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--runs') runs = Number(argv[++i]);
    else debs.push(arg);
  }
  if (debs.length === 0 || !Number.isInteger(runs) || runs < 1) {
    process.stderr.write('usage: bench/verify [--runs N] DEB...\n');
    process.exitCode = 2;
    return;
  }
  await stat(CLI).catch(() => {
    throw new Error(`${CLI} is missing: build kpkg first (npx tsc -p .)`);
  });
  const work = await mkdtemp(join(tmpdir(), 'kpkg-bench-'));
  // Other processes change every number: say how busy the machine was.
  const load = `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${availableParallelism()} cores`;
  process.stdout.write(`${load}\n`);
  const machine = `${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, ${load} at start`;
  const tables: string[] = [];
  try {
    for (const deb of debs) tables.push(await bench(deb, runs, work));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  process.stdout.write(`tables: ${await writeResultsMarkdown(runs, machine, tables)}\n`);
}

await main(process.argv.slice(2));
