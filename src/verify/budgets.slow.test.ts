/**
 * kpkg verify on the packages of issue #26 built to make it hold or do too much, run as a user runs
 * it (the built CLI under /usr/bin/time): each ends with the bounded result — a one-line "over the
 * limit" error or the right verdict — within a time bound and under the documented peak RSS
 * (MEMORY_BOUND_MIB, src/reader/limits.ts), four memory cases in one run included; SIGINT and
 * SIGTERM stop the slowest case within a second. The inputs are made here, small on disk; the
 * figures before the fixes are the issue's.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  controlWithContinuations,
  elfFiles,
  fileEntry,
  pkginfoWithDepends,
  symversTrees,
  writeDeb,
  writeTarGz,
} from '../testing/hostile-packages.js';
import { runKpkgMeasured, spawnKpkg, type MeasuredRun } from '../testing/run-kpkg.js';
import { tempDir } from '../testing/verify-packages.js';
import { memoryBoundMiB } from '../reader/limits.js';
import { readPackages, verifyPackages } from './verify.js';

let work = '';
before(async () => {
  work = await tempDir('kpkg-budgets-slow-');
});
after(async () => rm(work, { recursive: true, force: true }));

/** The figures of a run, for the test's own output (the note of the issue quotes them). */
function figures(name: string, run: MeasuredRun): string {
  return `${name}: exit ${run.exitCode}, ${run.seconds.toFixed(2)} s, peak RSS ${run.peakRssMiB.toFixed(0)} MiB`;
}

function assertBounded(run: MeasuredRun, packages: number, seconds: number): void {
  assert.ok(run.peakRssMiB < memoryBoundMiB(packages), `peak RSS ${run.peakRssMiB} MiB`);
  assert.ok(run.seconds < seconds, `${run.seconds} s`);
  assert.doesNotMatch(run.stderr, /internal error|heap out of memory|\n\s+at /);
}

/** Refused: exit status 2, one error line naming the limit and the file (and the fix line). */
function assertRefused(run: MeasuredRun, file: string, limit: string): void {
  assert.equal(run.exitCode, 2, run.stderr);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 2, run.stderr);
  assert.match(lines[0] ?? '', new RegExp(`^kpkg: error: ${file}.* over the limit of .*\\(READ_LIMITS\\.${limit}\\)`));
  assert.match(lines[1] ?? '', /^ {2}fix: /);
  assert.equal(run.stdout, '');
}

describe('kpkg verify within its budgets (issue #26)', { timeout: 600_000 }, () => {
  const memoryCases: { file: string; limit: string; make: (path: string) => Promise<string> }[] = [
    {
      // 20M continuation lines under the old 64 MiB limit: 10.5 s and 1.9 GB before.
      file: 'control-20m.deb',
      limit: 'controlFileBytes',
      make: (path) => writeDeb(path, { control: controlWithContinuations(20_000_000), data: [] }),
    },
    {
      // An md5sums of 1.3M lines: 1.17 GB before.
      file: 'md5sums-1.3m.deb',
      limit: 'md5sumsBytes',
      make: (path) =>
        writeDeb(path, { md5sums: 'd41d8cd98f00b204e9800998ecf8427e  usr/f\n'.repeat(1_300_000), data: [] }),
    },
    {
      // 100k depend lines: 92 s before (quadratic), SIGINT ignored throughout.
      file: 'depends-100k.pkg.tar.gz',
      limit: 'controlFileBytes',
      make: (path) => writeTarGz(path, [fileEntry('.PKGINFO', pkginfoWithDepends(100_000))]),
    },
    {
      file: 'depends-10001.pkg.tar.gz',
      limit: 'relations',
      make: (path) => writeTarGz(path, [fileEntry('.PKGINFO', pkginfoWithDepends(10_001))]),
    },
  ];

  it('each memory case is refused at once, in flat memory; four in one run too (before: heap out of memory, exit 134)', async () => {
    const inputs: string[] = [];
    for (const c of memoryCases) {
      const input = await c.make(join(work, c.file));
      inputs.push(input);
      const run = await runKpkgMeasured(['verify', input]);
      console.log(figures(c.file, run));
      assertRefused(run, input.replace(/\./g, '\\.'), c.limit);
      assertBounded(run, 1, 10);
    }
    const all = await runKpkgMeasured(['verify', ...inputs]);
    console.log(figures('the four in one run', all));
    assertRefused(all, `${work}/`, '(controlFileBytes|md5sumsBytes|relations)');
    assertBounded(all, inputs.length, 10);
  });

  it('tiny ELF files in a .deb take about as long as the same files in a plain tar (before: 23 times as long)', async () => {
    // The 80,000 took 65 s as a .deb and 2.8 s as a tar; half as many keeps the test short.
    const deb = await writeDeb(join(work, 'elves.deb'), { data: elfFiles(40_000) });
    const tar = await writeTarGz(join(work, 'elves.tar.gz'), elfFiles(40_000));
    const debRun = await runKpkgMeasured(['verify', deb, '--json']);
    const tarRun = await runKpkgMeasured(['verify', tar, '--json']);
    console.log(figures('40,000 ELF files in a .deb', debRun));
    console.log(figures('the same in a .tar.gz', tarRun));
    // Right verdict: AArch64 files in an arm64 package need libc.so.6, which the .deb does not declare.
    assert.equal(debRun.exitCode, 0, debRun.stderr);
    const report = JSON.parse(debRun.stdout) as { findings: { check: string; message: string }[] };
    const prerequisites = report.findings.filter((f) => f.check === 'prerequisites-other');
    assert.equal(prerequisites.length, 1);
    assert.match(
      prerequisites[0]?.message ?? '',
      /and 39997 more need libc\.so\.6, but hostile declares no dependency/,
    );
    assertBounded(debRun, 1, 60);
    assert.ok(debRun.seconds < 3 * tarRun.seconds + 2, `${debRun.seconds} s against ${tarRun.seconds} s`);
  });

  it('8,000 headers trees: the right findings, in time linear in the trees (before: 21.6 s)', async () => {
    const deb = await writeDeb(join(work, 'trees.deb'), { data: symversTrees(8000) });
    const run = await runKpkgMeasured(['verify', deb, '--json']);
    console.log(figures('8,000 directories with a Module.symvers', run));
    assert.equal(run.exitCode, 1, run.stderr);
    const report = JSON.parse(run.stdout) as { headersTrees: unknown[]; findings: { check: string }[] };
    assert.equal(report.headersTrees.length, 8000);
    // Each lacks Makefile, auto.conf, kernel.release, fixdep, modpost and arch/arm64/Makefile.
    assert.equal(report.findings.filter((f) => f.check === 'headers-incomplete').length, 6 * 8000);
    assertBounded(run, 1, 30);

    // Four times the trees, about four times the work (it was sixteen).
    const timed = async (trees: number): Promise<number> => {
      const path = await writeDeb(join(work, `trees-${trees}.deb`), { data: symversTrees(trees) });
      const packages = await readPackages([path]);
      const started = performance.now();
      verifyPackages(packages, 'arm64');
      return performance.now() - started;
    };
    const small = await timed(2000);
    const large = await timed(8000);
    assert.ok(large < 8 * small + 200, `2,000 trees: ${small.toFixed(0)} ms, 8,000: ${large.toFixed(0)} ms`);
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} stops the slowest case within a second: exit ${code}, nothing left in TMPDIR`, async () => {
      // The slowest case within the limits: most members, each an ELF file to parse and hash.
      const deb = join(work, 'slowest.deb');
      await writeDeb(deb, { data: elfFiles(80_000) });
      const tmp = join(work, `tmp-${signal}`);
      await mkdir(tmp);
      const run = spawnKpkg(['verify', deb], { TMPDIR: tmp });
      let stderr = '';
      run.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = once(run, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      // Busy: its run directory exists and it has read for a while.
      for (let i = 0; i < 200 && (await readdir(tmp)).length === 0; i++) await sleep(10);
      await sleep(1500);
      assert.equal(run.exitCode, null, `still running when signalled: ${stderr}`);
      const sent = performance.now();
      run.kill(signal);
      const [exitCode] = await exited;
      const latency = performance.now() - sent;
      console.log(`${signal} during 80,000 ELF files in a .deb: exit ${exitCode} after ${latency.toFixed(0)} ms`);
      assert.equal(exitCode, code, stderr);
      assert.ok(latency < 1000, `${latency} ms`);
      assert.deepEqual(await readdir(tmp), [], 'the run directory is removed');
      assert.match(stderr, new RegExp(`kpkg: ${signal}: stopping`));
    });
  }
});
