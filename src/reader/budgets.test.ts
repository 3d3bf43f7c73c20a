/**
 * What a package read from a stranger may make verify keep (READ_LIMITS, limits.ts), through the
 * readers: each limit refuses a crafted package for the right reason — one line naming the limit
 * and the file, exit status 2 — and takes a realistic one. The inputs are made here, small on disk.
 * The whole CLI on the measured cases, with time and peak RSS: verify/budgets.slow.test.ts.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expectUnreadable } from '../testing/malformed-inputs.js';
import {
  CONTROL,
  controlWithContinuations,
  fileEntry,
  md5sumsOfLines,
  pkginfoWithDepends,
  writeDeb,
  writeTarGz,
} from '../testing/hostile-packages.js';
import { tempDir } from '../testing/verify-packages.js';
import { rpmPackager } from '../formats/rpm/write-rpm.js';
import type { PackageDescription } from '../package/model.js';
import { MemberCollector } from './collect.js';
import { READ_LIMITS } from './limits.js';
import { readInput } from './open.js';
import { parsePkginfoValues } from './tar.js';

/** A body streamed in chunks of 1 MiB, as the archive readers give it. */
async function* chunks(data: Buffer): AsyncGenerator<Buffer, void, undefined> {
  for (let at = 0; at < data.length; at += 1 << 20) yield await Promise.resolve(data.subarray(at, at + (1 << 20)));
}

let work = '';
before(async () => {
  work = await tempDir('kpkg-budgets-');
});
after(async () => rm(work, { recursive: true, force: true }));

/** "<file>…: … over the limit of N … (READ_LIMITS.<limit>)" */
const overThe = (limit: keyof typeof READ_LIMITS, file: string): RegExp =>
  new RegExp(
    `${file}.*over the limit of ${READ_LIMITS[limit]} .*\\(READ_LIMITS\\.${limit}\\); refusing the package\\n`,
  );

const aDeb = (name: string, parts: Omit<Parameters<typeof writeDeb>[1], 'data'>): Promise<string> =>
  writeDeb(join(work, name), { ...parts, data: [fileEntry('./usr/share/doc/hostile/copyright', 'x\n')] });

describe('deb control members', { timeout: 120_000 }, () => {
  it('a control file over controlFileBytes (continuation lines) is refused before it is read; a real one is read', async () => {
    const lines = Math.ceil(READ_LIMITS.controlFileBytes / 3);
    const deb = await aDeb('continued.deb', { control: controlWithContinuations(lines) });
    await expectUnreadable([deb], overThe('controlFileBytes', 'continued\\.deb control\\.tar\\.gz: the control file'));
    const pkg = await readInput(await aDeb('described.deb', { control: controlWithContinuations(100) }));
    assert.equal(pkg.deb?.control?.get('Description')?.split('\n').length, 101);
  });

  it('md5sums over md5sumsBytes, or with more lines than members, is refused; 20,000 lines are read', async () => {
    const long = `d41d8cd98f00b204e9800998ecf8427e  ${'p/'.repeat(2000)}f\n`;
    const big = await aDeb('big-sums.deb', { md5sums: long.repeat(Math.ceil(READ_LIMITS.md5sumsBytes / long.length)) });
    await expectUnreadable([big], overThe('md5sumsBytes', 'big-sums\\.deb control\\.tar\\.gz: md5sums'));
    const many = await aDeb('many-sums.deb', { md5sums: md5sumsOfLines(READ_LIMITS.members + 1) });
    await expectUnreadable([many], overThe('members', 'many-sums\\.deb md5sums: the count of md5sums lines'));
    const pkg = await readInput(await aDeb('sums.deb', { md5sums: md5sumsOfLines(20_000) }));
    assert.equal(pkg.deb?.md5sums?.size, 20_000);
  });

  it('conffiles over controlFileBytes is refused', async () => {
    const conffiles = '/etc/x\n'.repeat(Math.ceil(READ_LIMITS.controlFileBytes / 7) + 1);
    await expectUnreadable(
      [await aDeb('conffiles.deb', { conffiles })],
      overThe('controlFileBytes', 'conffiles\\.deb control\\.tar\\.gz: conffiles'),
    );
  });

  it('Pre-Depends and Depends over relations are refused; a few hundred are read', async () => {
    const depends = (n: number): string =>
      `${CONTROL}Depends: ${Array.from({ length: n }, (_, i) => `lib${i} (>= 1)`).join(', ')}\n`;
    await expectUnreadable(
      [await aDeb('depends.deb', { control: depends(READ_LIMITS.relations + 1) })],
      overThe('relations', 'depends\\.deb control: the count of Pre-Depends and Depends relations \\(10001\\)'),
    );
    const pkg = await readInput(await aDeb('few.deb', { control: depends(300) }));
    assert.equal(pkg.requires?.length, 300);
  });
});

describe('rpm requires', { timeout: 120_000 }, () => {
  const rpmWith = async (name: string, requires: number): Promise<string> => {
    const out = join(work, name);
    const description: PackageDescription = {
      name: 'hostile',
      version: '1-1',
      arch: 'arm64',
      summary: 'hostile',
      description: 'requires a lot',
      maintainer: 'x <x@x.invalid>',
      depends: Array.from({ length: requires }, (_, i) => ({ name: `lib${i}` })),
      mtime: 1700000000,
      entries: [{ kind: 'dir', path: '/usr/share/hostile', mode: 0o755 }],
    };
    await rpmPackager.write(description, out, { compression: 'gzip' });
    return out;
  };

  it('more REQUIRENAME entries than relations are refused; a few hundred are read', async () => {
    await expectUnreadable(
      [await rpmWith('requires.rpm', READ_LIMITS.relations + 1)],
      overThe('relations', 'requires\\.rpm header: the count of REQUIRENAME entries \\(10001\\)'),
    );
    const pkg = await readInput(await rpmWith('few.rpm', 300));
    assert.equal(pkg.requires?.length, 300);
  });
});

describe('pacman metadata', { timeout: 120_000 }, () => {
  const pacman = (name: string, pkginfo: string): Promise<string> =>
    writeTarGz(join(work, name), [fileEntry('.PKGINFO', pkginfo), fileEntry('usr/share/x', 'x')]);

  it('a .PKGINFO over controlFileBytes, or with more depend lines than relations, is refused', async () => {
    await expectUnreadable(
      [await pacman('huge.pkg.tar.gz', pkginfoWithDepends(100_000))],
      overThe('controlFileBytes', 'huge\\.pkg\\.tar\\.gz: \\.PKGINFO'),
    );
    await expectUnreadable(
      [await pacman('deps.pkg.tar.gz', pkginfoWithDepends(READ_LIMITS.relations + 1))],
      overThe('relations', 'deps\\.pkg\\.tar\\.gz \\.PKGINFO: the count of depend lines'),
    );
  });

  it('as many depend lines as relations allows are read, in time linear in the lines', async () => {
    const pkg = await readInput(await pacman('ok.pkg.tar.gz', pkginfoWithDepends(READ_LIMITS.relations)));
    assert.equal(pkg.requires?.length, READ_LIMITS.relations);
    // 100,000 repeated keys took 92 s when each line copied the list (quadratic); linear, it takes milliseconds.
    const started = performance.now();
    assert.equal(parsePkginfoValues(pkginfoWithDepends(100_000)).get('depend')?.length, 100_000);
    assert.ok(performance.now() - started < 2000, `${performance.now() - started} ms`);
  });
});

describe('member names and kept texts', { timeout: 120_000 }, () => {
  it('a member name over nameBytes (a pax path) is refused', async () => {
    const name = `./usr/share/${'n'.repeat(READ_LIMITS.nameBytes)}`;
    await expectUnreadable(
      [await writeTarGz(join(work, 'long-name.tar.gz'), [fileEntry(name, 'x')])],
      overThe('nameBytes', 'long-name\\.tar\\.gz: member name'),
    );
  });

  it('kernel configurations kept past keptBytes are refused; three real-sized ones are kept', async () => {
    // 7 MiB each (a file up to 8 MiB is kept): nine fit, with their names, the tenth is over.
    const config = Buffer.from('CONFIG_X=y\n'.repeat(Math.floor((7 * 1024 * 1024) / 11)));
    const collector = new MemberCollector('configs.deb', { md5: false });
    const add = (i: number): Promise<unknown> =>
      collector.add(
        { name: `./usr/src/t${i}/.config`, type: 'file', size: config.length, mode: 0o644 },
        chunks(config),
      );
    const fits = Math.floor(READ_LIMITS.keptBytes / config.length);
    for (let i = 0; i < fits; i++) await add(i);
    await assert.rejects(add(fits), (e: Error) => overThe('keptBytes', 'configs\\.deb').test(`${e.message}\n`));

    const real = new MemberCollector('real.deb', { md5: false });
    const text = Buffer.from('CONFIG_X=y\n'.repeat(25_000));
    for (const path of ['./boot/config-6.1', './usr/src/h/.config', './usr/src/h/include/config/auto.conf'])
      await real.add({ name: path, type: 'file', size: text.length, mode: 0o644 }, chunks(text));
    assert.equal(real.members.filter((m) => m.text !== undefined).length, 3);
  });
});
