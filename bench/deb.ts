/**
 * How fast `kpkg deb` (or rpm/pacman/tar) packages a built tree, against the upstream tool on the
 * same tree in the same run, the compression floor, and itself with a warm build cache:
 *
 *   bench/deb [--config tiny|full|dist]... [--series 6.12] [--arch arm64] [--runs N] [--format deb|rpm|pacman|tar]
 *
 * Per tree (tools/kernel-tree builds or finds it; dist is the arch's defconfig, thousands of modules):
 *  - upstream: `make bindeb-pkg` (binrpm-pkg, pacman-pkg, tar-pkg) on a copy of the tree, the copy
 *    made once before the runs (it is not timed), its packages listed (binrpm-pkg writes no
 *    kernel-devel when cross-compiling, tar-pkg no headers: compare what was written; pacman-pkg is
 *    not timed as root, where makepkg refuses to run, and the table has kpkg's rows only), alternating
 *    with
 *  - kpkg cold: `kpkg deb --no-cache` (the build cache neither read nor filled: every host program
 *    rebuilt, every make step run, every member compressed; the target sysroot and package lists,
 *    fetched once per machine, are not part of packaging);
 *  - the xz floor (deb): `xz -<level> -T<kpkg's thread count>` over the uncompressed data members kpkg
 *    writes with --compress none, one after the other, as a packager would have to at least; those
 *    --compress none runs are timed too (N of them): kpkg's CPU besides compressing, which with the
 *    floor's CPU bounds how fast kpkg cold can be on these cores;
 *  - warm: the same command again with the cache filled (one run fills it first), output checked
 *    byte-identical to the cold run's;
 *  - new revision: `--revision` changed every run (the changelog in each data member changes, so
 *    members are compressed again; host programs and make steps come from the cache);
 *  - peak RSS: GNU time's maximum resident set size of the largest process of the run;
 *  - the edit loop (not tar): a line added to one module's source, the kernel's incremental make on
 *    a copy of the tree each, then upstream's target and kpkg (cache on), alternating; kpkg's last
 *    packages checked byte-identical to `--no-cache` on the same tree.
 * Medians of N runs (default 3). Prints a table with the ratios and the goals, writes JSON to
 * bench/results/ (not committed) and the same tables to docs/bench/<format>.md (committed, replaced
 * by every run, with the machine, the date and the commit measured): the figures docs/benchmarks.md
 * points at are only ever written here, never edited by hand.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { utimesSync, writeFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readAr } from '../src/archive/ar.js';
import { encoderThreads } from '../src/archive/compress.js';
import { exclusiveLock } from '../src/util/file-lock.js';
import { median, MiB, seconds, timedProcess, type ProcessSample } from './measure.js';

// This file runs as bench/out/bench/deb.js.
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(REPO, 'dist/cli/bin.js');
const run = promisify(execFile);

type Format = 'deb' | 'rpm' | 'pacman' | 'tar';
const UPSTREAM_TARGET: Readonly<Record<Format, string>> = {
  deb: 'bindeb-pkg',
  rpm: 'binrpm-pkg',
  pacman: 'pacman-pkg',
  tar: 'tar-pkg',
};
/** How the package files of each format end, whatever their compression (kpkg tar: .tar.gz; tar-pkg: .tar). */
const SUFFIXES: Readonly<Record<Format, readonly string[]>> = {
  deb: ['.deb'],
  rpm: ['.rpm'],
  pacman: ['.pkg.tar.zst', '.pkg.tar.xz', '.pkg.tar.gz'],
  tar: ['.tar', '.tar.gz', '.tar.xz', '.tar.zst'],
};
const isPackage = (format: Format, name: string): boolean => SUFFIXES[format].some((suffix) => name.endsWith(suffix));

interface Options {
  configs: string[];
  series: string;
  arch: string;
  runs: number;
  format: Format;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { configs: [], series: '6.12', arch: 'arm64', runs: 3, format: 'deb' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1] ?? '';
    if (arg === '--config') options.configs.push(value);
    else if (arg === '--series') options.series = value;
    else if (arg === '--arch') options.arch = value;
    else if (arg === '--runs') options.runs = Number(value);
    else if (arg === '--format' && ['deb', 'rpm', 'pacman', 'tar'].includes(value)) options.format = value as Format;
    else throw new Error(`unknown argument ${String(arg)} (see the comment at the top of bench/deb.ts)`);
    i++;
  }
  if (options.configs.length === 0) options.configs = ['tiny', 'full'];
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error('--runs needs a positive whole number');
  return options;
}

/** Key=value lines tools/kernel-tree writes into <objtree>/.kpkg-built. */
async function treeRecord(objtree: string): Promise<Map<string, string>> {
  const text = await readFile(join(objtree, '.kpkg-built'), 'utf8');
  return new Map(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
  );
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** name → sha256 of every package file in dir (there must be one: an empty comparison proves nothing). */
async function digests(dir: string, format: Format): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of (await readdir(dir)).filter((n) => isPackage(format, n)).sort())
    out.set(name, await sha256(join(dir, name)));
  if (out.size === 0) throw new Error(`bench: no ${format} package in ${dir}`);
  return out;
}

interface Upstream {
  command: string[];
  env: NodeJS.ProcessEnv;
  outputs: string;
  clean: () => Promise<void>;
}

/** Every package file under `dir` (upstream's outputs), by name, with its size. */
async function packagesUnder(dir: string, format: Format): Promise<{ name: string; bytes: number }[]> {
  const names = (await readdir(dir, { recursive: format === 'rpm' })).filter((n) => isPackage(format, n)).sort();
  return Promise.all(names.map(async (name) => ({ name: basename(name), bytes: (await stat(join(dir, name))).size })));
}

/** The upstream packaging command on a copy of the tree (tools/upstream-debs explains the wrapper). */
async function upstreamSetup(objtree: string, work: string, format: Format): Promise<Upstream | string> {
  if (format === 'pacman') {
    // scripts/Makefile.package's pacman-pkg runs makepkg, which refuses to run as root.
    if (process.getuid?.() === 0)
      return 'makepkg (which make pacman-pkg runs) refuses to run as root; run the bench as an ordinary user to time it';
    if ((await run('sh', ['-c', 'command -v makepkg || true'])).stdout.trim() === '')
      return 'make pacman-pkg needs makepkg: apt-get install makepkg';
  }
  const record = await treeRecord(objtree);
  const copy = join(work, 'upstream', 'build');
  await mkdir(join(work, 'upstream'), { recursive: true });
  await cp(objtree, copy, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
  const make = (record.get('make') ?? '').split(' ').map((w) => (w === `O=${objtree}` ? `O=${copy}` : w));
  const env = { ...process.env };
  const cross = /CROSS_COMPILE=(\S+)/.exec(record.get('make') ?? '')?.[1];
  if (cross !== undefined && record.get('llvm') === '') {
    const { stdout } = await run(process.execPath, [CLI, 'sysroot', '--arch', record.get('arch') ?? 'arm64', '--json']);
    const root = (JSON.parse(stdout) as { root: string }).root;
    const bin = join(work, 'upstream', 'bin');
    await mkdir(bin, { recursive: true });
    const { stdout: gcc } = await run('sh', ['-c', `command -v ${cross}gcc`]);
    await writeFile(join(bin, `${cross}gcc`), `#!/bin/sh\nexec '${gcc.trim()}' --sysroot='${root}' "$@"\n`, {
      mode: 0o755,
    });
    env.PATH = `${bin}:${env.PATH ?? ''}`;
  }
  const extra =
    format === 'deb'
      ? ['KDEB_PKGVERSION=1-bench', 'DPKG_FLAGS=-d']
      : format === 'rpm'
        ? [`RPMOPTS=--define '_topdir ${join(work, 'upstream', 'rpmbuild')}' --nodeps`]
        : [];
  // bindeb-pkg writes beside the object tree, tar-pkg into it, binrpm-pkg under rpmbuild/RPMS/<arch>.
  const outputs =
    format === 'rpm' ? join(work, 'upstream', 'rpmbuild') : format === 'tar' ? copy : join(work, 'upstream');
  const clean = async (): Promise<void> => {
    for (const name of await readdir(join(work, 'upstream'))) {
      if (['.deb', '.buildinfo', '.changes', '.tar', '.zst', '.tar.gz'].some((s) => name.endsWith(s)))
        await rm(join(work, 'upstream', name), { force: true });
    }
    await rm(join(work, 'upstream', 'rpmbuild'), { recursive: true, force: true });
  };
  return { command: [...make, '-s', ...extra, UPSTREAM_TARGET[format]], env, outputs, clean };
}

/**
 * The xz floor: each uncompressed data member of kpkg's --compress none packages through xz, one
 * after the other; and those --compress none runs themselves, timed: kpkg's work besides compressing.
 */
async function xzFloor(objtree: string, work: string, runs: number): Promise<Floor> {
  const out = join(work, 'uncompressed');
  const uncompressed: ProcessSample[] = [];
  for (let i = 0; i < runs; i++) {
    await rm(out, { recursive: true, force: true });
    uncompressed.push(
      await timedProcess([
        process.execPath,
        CLI,
        'deb',
        '--build-dir',
        objtree,
        '--out',
        out,
        '--compress',
        'none',
        '--no-cache',
      ]),
    );
  }
  const members: { name: string; path: string; bytes: number }[] = [];
  for (const deb of (await readdir(out)).filter((n) => n.endsWith('.deb'))) {
    for await (const member of readAr(createReadStream(join(out, deb)), { where: deb })) {
      if (!member.name.startsWith('data.tar')) continue; // the reader skips an unread body
      const path = join(out, `${deb}.data.tar`);
      await pipeline(member.body, createWriteStream(path));
      members.push({ name: deb, path, bytes: member.size });
    }
  }
  const threads = encoderThreads();
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    let wall = 0;
    let used = 0;
    for (const m of members) {
      const sample = await timedProcess(['sh', '-c', `xz -6 -T${threads} -c "$1" >/dev/null`, 'sh', m.path]);
      wall += sample.wall;
      used += sample.cpu;
    }
    samples.push(wall);
    cpu.push(used);
  }
  return { samples, cpu, uncompressed, members: members.map((m) => ({ name: m.name, bytes: m.bytes })) };
}

/**
 * The xz floor of a tree: wall time of its members compressed one after the other, and the CPU time
 * that compression takes. CPU ÷ cores bounds from below any writer of these bytes on this machine,
 * however it overlaps its work: the packages cannot be written faster than that.
 */
interface Floor {
  samples: number[];
  cpu: number[];
  /** `kpkg deb --compress none --no-cache`: everything a cold run does but compress. */
  uncompressed: ProcessSample[];
  members: { name: string; bytes: number }[];
}

interface TreeResult {
  tree: string;
  format: Format;
  upstream: ProcessSample[];
  /** Why upstream was not timed (its tool cannot run here), or the packages it wrote. */
  upstreamSkipped?: string;
  upstreamPackages: { name: string; bytes: number }[];
  cold: ProcessSample[];
  warm: ProcessSample[];
  revision: ProcessSample[];
  floor?: Floor;
  identicalWarm: boolean;
  packages: { name: string; bytes: number }[];
  edit?: EditLoop;
  /** What each package costs alone, cold (the cost curve). */
  costs: PackageCost[];
}

/**
 * One package written alone, cold (`--only KIND --no-cache`): its kernel steps (host programs rebuilt
 * for headers, modules_install and dtbs_install for image, headers_install for libc-dev), staging and
 * its write; for deb also with `--compress none`, which leaves the compression out.
 */
interface PackageCost {
  kind: string;
  written: ProcessSample;
  uncompressed?: ProcessSample;
}

/**
 * The edit loop: one line added to one module's source, the kernel's incremental make, then the
 * packages made again — upstream's target on its copy of the tree, kpkg (build cache on) on another.
 */
interface EditLoop {
  /** The source file edited, relative to the source tree. */
  source: string;
  /** The incremental make of kpkg's copy after each edit (the user's build, the same for both). */
  make: ProcessSample[];
  upstream: ProcessSample[];
  kpkg: ProcessSample[];
  /** kpkg's packages after the last edit are those of `kpkg --no-cache` on the same tree. */
  identicalToCold: boolean;
}

async function benchTree(config: string, options: Options, work: string): Promise<TreeResult> {
  const { stdout } = await run(
    join(REPO, 'tools/kernel-tree'),
    ['--series', options.series, '--arch', options.arch, '--config', config],
    { maxBuffer: 1 << 26 },
  );
  const objtree = stdout.trim().split('\n').pop() ?? '';
  const tree = basename(objtree);
  const say = (text: string): boolean => process.stderr.write(`bench: ${tree}: ${text}\n`);
  const kpkg = (out: string, ...extra: string[]): string[] => [
    process.execPath,
    CLI,
    options.format,
    '--build-dir',
    objtree,
    '--out',
    out,
    ...extra,
  ];
  say(`copying the tree for upstream's make ${UPSTREAM_TARGET[options.format]}`);
  const upstream = await upstreamSetup(objtree, work, options.format);
  const result: TreeResult = {
    tree,
    format: options.format,
    upstream: [],
    upstreamPackages: [],
    cold: [],
    warm: [],
    revision: [],
    identicalWarm: true,
    packages: [],
    costs: [],
  };
  if (typeof upstream === 'string') {
    result.upstreamSkipped = upstream;
    say(`upstream not timed: ${upstream}`);
  } else {
    // One upstream run first, not counted: its first build in the copy may do one-time work.
    say('upstream warm-up run (not counted)');
    await timedProcess(upstream.command, { env: upstream.env });
    result.upstreamPackages = await packagesUnder(upstream.outputs, options.format);
    await upstream.clean();
  }
  let coldDigests: Map<string, string> | undefined;
  for (let i = 0; i < options.runs; i++) {
    if (typeof upstream !== 'string') {
      say(`run ${i + 1}/${options.runs}: upstream`);
      result.upstream.push(await timedProcess(upstream.command, { env: upstream.env }));
      await upstream.clean();
    }
    say(`run ${i + 1}/${options.runs}: kpkg cold (--no-cache)`);
    const out = join(work, `cold-${i}`);
    result.cold.push(await timedProcess(kpkg(out, '--no-cache')));
    coldDigests ??= await digests(out, options.format);
    await rm(out, { recursive: true, force: true });
  }
  if (options.format === 'deb') {
    say('kpkg --compress none (all but compressing) and the xz floor');
    result.floor = await xzFloor(objtree, work, options.runs);
  }
  say('filling the build cache (one run, not counted)');
  const filled = await timedProcess(kpkg(join(work, 'fill'), '--json'));
  const kinds = (JSON.parse(filled.stdout) as { packages: { kind: string }[] }).packages.map((p) => p.kind);
  for (let i = 0; i < options.runs; i++) {
    const out = join(work, `warm-${i}`);
    result.warm.push(await timedProcess(kpkg(out)));
    const warm = await digests(out, options.format);
    if (
      coldDigests === undefined ||
      warm.size !== coldDigests.size ||
      [...warm].some(([n, d]) => coldDigests?.get(n) !== d)
    )
      result.identicalWarm = false;
    if (i === 0)
      for (const name of warm.keys()) result.packages.push({ name, bytes: (await stat(join(out, name))).size });
    await rm(out, { recursive: true, force: true });
  }
  for (let i = 0; i < options.runs; i++) {
    say(`run ${i + 1}/${options.runs}: new revision`);
    const out = join(work, `revision-${i}`);
    // A number never used before (pacman's pkgrel must be a number).
    result.revision.push(await timedProcess(kpkg(out, '--revision', String(Date.now()))));
    await rm(out, { recursive: true, force: true });
  }
  if (options.format !== 'tar') result.edit = await editLoop(objtree, options, work, upstream, say);
  for (const kind of kinds.length > 1 ? kinds : []) {
    say(`cost of ${kind} alone, cold`);
    const out = join(work, `cost-${kind}`);
    const cost: PackageCost = { kind, written: await timedProcess(kpkg(out, '--only', kind, '--no-cache')) };
    await rm(out, { recursive: true, force: true });
    if (options.format === 'deb') {
      cost.uncompressed = await timedProcess(kpkg(out, '--only', kind, '--no-cache', '--compress', 'none'));
      await rm(out, { recursive: true, force: true });
    }
    result.costs.push(cost);
  }
  return result;
}

/** The start of the line the edit loop adds to a module's source. */
const EDIT_MARK = 'MODULE_INFO(kpkg_bench_edit';

/** A module of the tree whose C source is a file of the source tree: the first of modules.order. */
async function editableModule(objtree: string, srcdir: string): Promise<string> {
  const order = await readFile(join(objtree, 'modules.order'), 'utf8').catch(() => '');
  for (const line of order.split('\n')) {
    const source = `${line.trim().replace(/\.(?:o|ko)$/, '')}.c`;
    if (line.trim() !== '' && (await stat(join(srcdir, source)).catch(() => undefined))?.isFile() === true)
      return source;
  }
  throw new Error(`bench: no module of ${objtree}/modules.order has a C source in ${srcdir}`);
}

/**
 * The edit loop (see EditLoop) on copies of the tree, N times, each edit a new line so that each
 * incremental make rebuilds the module; the source file is put back as it was (bytes and times) at
 * the end, so the cached tree stays up to date.
 */
async function editLoop(
  objtree: string,
  options: Options,
  work: string,
  upstream: Upstream | string,
  say: (text: string) => boolean,
): Promise<EditLoop> {
  const record = await treeRecord(objtree);
  const srcdir = record.get('source') ?? '';
  const source = await editableModule(objtree, srcdir);
  const file = join(srcdir, source);
  const original = await readFile(file);
  if (original.includes(EDIT_MARK))
    throw new Error(
      `${file} still holds a line of an edit loop that was stopped (${EDIT_MARK}): remove that line, then touch -d @<the time it had> the file, or rebuild the trees of that source`,
    );
  const times = await stat(file);
  // Every tree of this kernel version builds from this source: no tools/kernel-tree build may run meanwhile.
  const lock = await exclusiveLock(join(dirname(objtree), '.lock'));
  const restore = (): void => {
    writeFileSync(file, original);
    utimesSync(file, times.atime, times.mtime);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    restore();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const copy = join(work, 'edit', 'build');
  say(`edit loop: copying the tree for kpkg; each run adds a line to ${source}`);
  await mkdir(join(work, 'edit'), { recursive: true });
  await cp(objtree, copy, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
  const makeIn = (tree: string): string[] =>
    (record.get('make') ?? '').split(' ').map((w) => (w === `O=${objtree}` ? `O=${tree}` : w));
  const kpkg = (out: string, ...extra: string[]): string[] => [
    process.execPath,
    CLI,
    options.format,
    '--build-dir',
    copy,
    '--out',
    out,
    ...extra,
  ];
  const loop: EditLoop = { source, make: [], upstream: [], kpkg: [], identicalToCold: false };
  let last: Map<string, string> | undefined;
  try {
    say('edit loop: a first kpkg run on the copy (not counted)');
    await timedProcess(kpkg(join(work, 'edit', 'first')));
    for (let i = 0; i < options.runs; i++) {
      await writeFile(file, Buffer.concat([original, Buffer.from(`${EDIT_MARK}, "${Date.now()}");\n`)]));
      say(`edit loop ${i + 1}/${options.runs}: incremental make`);
      loop.make.push(await timedProcess([...makeIn(copy), '-s']));
      if (typeof upstream !== 'string') {
        await timedProcess([...makeIn(join(work, 'upstream', 'build')), '-s'], { env: upstream.env });
        say(`edit loop ${i + 1}/${options.runs}: upstream`);
        loop.upstream.push(await timedProcess(upstream.command, { env: upstream.env }));
        await upstream.clean();
      }
      say(`edit loop ${i + 1}/${options.runs}: kpkg`);
      const out = join(work, 'edit', `run-${i}`);
      loop.kpkg.push(await timedProcess(kpkg(out)));
      last = await digests(out, options.format);
      await rm(out, { recursive: true, force: true });
    }
    say('edit loop: kpkg --no-cache on the last edit, for the bytes');
    const cold = join(work, 'edit', 'cold');
    await timedProcess(kpkg(cold, '--no-cache'));
    const coldDigests = await digests(cold, options.format);
    loop.identicalToCold =
      last !== undefined && last.size === coldDigests.size && [...last].every(([n, d]) => coldDigests.get(n) === d);
  } finally {
    restore();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await lock.release();
  }
  return loop;
}

function report(r: TreeResult, runs: number): string {
  const m = (samples: readonly ProcessSample[]): number => median(samples.map((s) => s.wall));
  const cold = m(r.cold);
  const upstream = m(r.upstream);
  const warm = m(r.warm);
  const revision = m(r.revision);
  const floor = r.floor === undefined ? undefined : median(r.floor.samples);
  const cores = availableParallelism();
  // Any writer of these bytes needs at least the compression's CPU time spread over every core.
  const bound = r.floor === undefined ? undefined : median(r.floor.cpu) / cores;
  // kpkg cold cannot beat its own CPU time (compression plus everything else) spread over the cores.
  const otherCpu = r.floor === undefined ? undefined : median(r.floor.uncompressed.map((s) => s.cpu));
  const ownBound = bound === undefined || otherCpu === undefined ? undefined : bound + otherCpu / cores;
  const cpuOf = (samples: readonly ProcessSample[]): string => `CPU ${seconds(median(samples.map((s) => s.cpu)))}`;
  const peak = Math.max(
    ...r.cold.map((s) => s.maxRssKiB),
    ...r.warm.map((s) => s.maxRssKiB),
    ...r.revision.map((s) => s.maxRssKiB),
  );
  const mark = (ok: boolean): string => (ok ? '✅' : '❌');
  const runsOf = (samples: readonly ProcessSample[]): string =>
    samples.map((s) => (s.wall / 1000).toFixed(1)).join(' ');
  const timed = r.upstreamSkipped === undefined;
  // How many times faster than upstream a time is (or why there is no upstream figure).
  const faster = (t: number, prefix = ''): string =>
    timed ? `${prefix}${(upstream / t).toFixed(2)}× faster than upstream` : 'upstream not timed';
  const rows = [
    timed
      ? `| upstream \`make ${UPSTREAM_TARGET[r.format]}\` | ${seconds(upstream)} | ${runsOf(r.upstream)} | ${cpuOf(r.upstream)} | |`
      : `| upstream \`make ${UPSTREAM_TARGET[r.format]}\` | not timed | | ${r.upstreamSkipped ?? ''} | |`,
    `| kpkg ${r.format} cold (\`--no-cache\`) | ${seconds(cold)} | ${runsOf(r.cold)} | ${faster(cold)}; ${cpuOf(r.cold)} | ≥ 2× ${timed ? mark(upstream / cold >= 2) : '—'} |`,
    ...(floor === undefined
      ? []
      : [
          `| xz floor (data members, one after the other) | ${seconds(floor)} | ${r.floor?.samples.map((s) => (s / 1000).toFixed(1)).join(' ') ?? ''} | cold = ${(cold / floor).toFixed(2)}× the floor | ≤ 1.5× ${mark(cold / floor <= 1.5)} |`,
        ]),
    ...(bound === undefined
      ? []
      : [
          `| xz CPU ÷ ${cores} cores (no writer of these bytes is faster here) | ${seconds(bound)} | | ${faster(bound, 'at most ')}; cold = ${(cold / bound).toFixed(2)}× this bound | (reported) |`,
        ]),
    ...(r.floor === undefined || ownBound === undefined
      ? []
      : [
          `| kpkg deb \`--compress none --no-cache\` (all but compressing) | ${seconds(m(r.floor.uncompressed))} | ${runsOf(r.floor.uncompressed)} | ${cpuOf(r.floor.uncompressed)} | (reported) |`,
          `| (xz CPU + that CPU) ÷ ${cores} cores (kpkg cold's own bound) | ${seconds(ownBound)} | | cold = ${(cold / ownBound).toFixed(2)}× this bound; ${faster(ownBound, 'at most ')} | (reported) |`,
        ]),
    `| kpkg ${r.format} warm (same tree and options) | ${seconds(warm)} | ${runsOf(r.warm)} | ${(cold / warm).toFixed(1)}× faster than cold; ${r.identicalWarm ? 'byte-identical' : 'NOT byte-identical'} | ≥ 10× ${mark(cold / warm >= 10 && r.identicalWarm)} |`,
    `| kpkg ${r.format}, new \`--revision\` | ${seconds(revision)} | ${runsOf(r.revision)} | ${(cold / revision).toFixed(2)}× faster than cold | (reported) |`,
    ...editRows(r, timed, runsOf, mark),
    `| peak RSS, largest process of a kpkg run | ${(peak / 1024).toFixed(0)} MB | | ${timed ? `upstream: ${(Math.max(...r.upstream.map((s) => s.maxRssKiB)) / 1024).toFixed(0)} MB` : ''} | ≤ 300 MB ${mark(peak / 1024 <= 300)} |`,
  ];
  return [
    `### ${r.tree} — kpkg ${r.format} (medians of ${runs})`,
    `packages: ${r.packages.map((p) => `${p.name} (${MiB(p.bytes)})`).join(', ')}`,
    ...(timed
      ? [`upstream's packages: ${r.upstreamPackages.map((p) => `${p.name} (${MiB(p.bytes)})`).join(', ') || 'none'}`]
      : []),
    ...(r.floor === undefined
      ? []
      : [
          `data members: ${r.floor.members.map((x) => `${x.name.split('_')[0] ?? x.name} ${MiB(x.bytes)}`).join(', ')}`,
        ]),
    '',
    '| what | median | runs (s) | ratio | goal |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** The edit loop's rows: the incremental make (reported), upstream's target and kpkg on the changed tree. */
function editRows(
  r: TreeResult,
  timed: boolean,
  runsOf: (samples: readonly ProcessSample[]) => string,
  mark: (ok: boolean) => string,
): string[] {
  const edit = r.edit;
  if (edit === undefined || edit.kpkg.length === 0) return [];
  const m = (samples: readonly ProcessSample[]): number => median(samples.map((s) => s.wall));
  const kpkg = m(edit.kpkg);
  const ratio = timed && edit.upstream.length > 0 ? m(edit.upstream) / kpkg : undefined;
  return [
    `| edit loop: \`make\` after one line added to \`${edit.source}\` (the same for both) | ${seconds(m(edit.make))} | ${runsOf(edit.make)} | | (reported) |`,
    ...(ratio === undefined
      ? []
      : [
          `| edit loop: upstream \`make ${UPSTREAM_TARGET[r.format]}\` on the changed tree | ${seconds(m(edit.upstream))} | ${runsOf(edit.upstream)} | CPU ${seconds(median(edit.upstream.map((s) => s.cpu)))} | |`,
        ]),
    `| edit loop: kpkg ${r.format} on the changed tree (build cache on) | ${seconds(kpkg)} | ${runsOf(edit.kpkg)} | ${ratio === undefined ? 'upstream not timed' : `${ratio.toFixed(1)}× faster than upstream`}; ${edit.identicalToCold ? 'byte-identical to `--no-cache`' : 'NOT byte-identical to `--no-cache`'} | ≥ 5× ${ratio === undefined ? '—' : mark(ratio >= 5 && edit.identicalToCold)} |`,
  ];
}

/**
 * How each step's cost grows with the kernel: for every package kind, its cold run alone on each tree
 * (wall and CPU), without compression where measured, and the whole cold run for comparison.
 */
function costCurve(results: readonly TreeResult[]): string {
  if (results.every((r) => r.costs.length === 0)) return '';
  const cell = (s: ProcessSample | undefined): string =>
    s === undefined ? '—' : `${(s.wall / 1000).toFixed(1)} s (CPU ${(s.cpu / 1000).toFixed(1)} s)`;
  const kinds = [...new Set(results.flatMap((r) => r.costs.map((c) => c.kind)))];
  const row = (label: string, pick: (r: TreeResult) => ProcessSample | undefined): string =>
    `| ${label} | ${results.map((r) => cell(pick(r))).join(' | ')} |`;
  const coldMedian = (r: TreeResult): ProcessSample | undefined => {
    const wall = median(r.cold.map((s) => s.wall));
    return r.cold.find((s) => s.wall === wall) ?? r.cold[0];
  };
  return [
    `### The cost curve — kpkg ${results[0]?.format ?? ''}, cold, one run per cell: wall (CPU)`,
    'A package written alone (`--only KIND --no-cache`) is its kernel steps (host programs rebuilt for the headers, `modules_install`/`dtbs_install` for the image, `headers_install` for libc-dev), its staging and its write; `--compress none` leaves out the compression.',
    '',
    `| step | ${results.map((r) => r.tree).join(' | ')} |`,
    `|---|${results.map(() => '---|').join('')}`,
    ...kinds.flatMap((kind) => [
      row(`${kind}: steps, staging, uncompressed write`, (r) => r.costs.find((c) => c.kind === kind)?.uncompressed),
      row(`${kind}: the whole package`, (r) => r.costs.find((c) => c.kind === kind)?.written),
    ]),
    row('every package (the cold row, median)', coldMedian),
    '',
  ].join('\n');
}

/** The commit measured, with "+ changes" when the work tree differs from it. */
async function measuredCommit(): Promise<string> {
  try {
    const { stdout: commit } = await run('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']);
    const { stdout: changes } = await run('git', ['-C', REPO, 'status', '--porcelain', '--untracked-files=no']);
    return `${commit.trim()}${changes.trim() === '' ? '' : ' + uncommitted changes'}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** The command line that reproduces a run. */
function benchCommand(options: Options): string {
  const configs = options.configs.map((c) => `--config ${c}`).join(' ');
  return `bench/deb --format ${options.format} ${configs} --runs ${String(options.runs)}`;
}

/**
 * docs/bench/<format>.md: the tables of one whole run, replaced by the next run of that format.
 * It says what was measured where, so that a figure is never read without its machine and commit.
 */
function resultsMarkdown(options: Options, machine: string, commit: string, reports: readonly string[]): string {
  return [
    `# bench/deb --format ${options.format}: the last run`,
    '',
    'Written by `bench/deb` (bench/deb.ts) at the end of every run and replaced by the next one;',
    'do not edit by hand. What the rows mean: docs/benchmarks.md.',
    '',
    `- command: \`${benchCommand(options)}\``,
    `- date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- kpkg commit: ${commit}`,
    `- machine: ${machine}`,
    '',
    ...reports,
  ].join('\n');
}

async function writeResultsMarkdown(options: Options, machine: string, reports: readonly string[]): Promise<string> {
  const file = join(REPO, 'docs/bench', `${options.format}.md`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, resultsMarkdown(options, machine, await measuredCommit(), reports));
  return file;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const machine = `${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, load average at start ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
  process.stdout.write(`machine: ${machine}\n\n`);
  const results: TreeResult[] = [];
  const reports: string[] = [];
  for (const config of options.configs) {
    const work = await mkdtemp(join(tmpdir(), 'kpkg-bench-deb-'));
    try {
      const r = await benchTree(config, options, work);
      results.push(r);
      const text = report(r, options.runs);
      reports.push(text);
      process.stdout.write(`${text}\n`);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  const curve = costCurve(results);
  if (curve !== '') {
    reports.push(curve);
    process.stdout.write(`${curve}\n`);
  }
  process.stdout.write(`tables: ${await writeResultsMarkdown(options, machine, reports)}\n`);
  const dir = join(REPO, 'bench/results');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${options.format}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify({ machine, options, results }, null, 2)}\n`);
  process.stdout.write(`results: ${file}\n`);
}

try {
  await main();
} catch (error) {
  // A failed step says what failed (a command's exit and its stderr), without a stack trace.
  process.stderr.write(`bench/deb: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
