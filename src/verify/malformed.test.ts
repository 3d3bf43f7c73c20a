/**
 * Inputs that cannot be read give exit status 2 and say why — never a crash, a hang or a write.
 * The first cases run the built CLI as a user would; the rest run its main() in this process
 * (runKpkgInProcess: the same code but for bin.js's signal handlers), to spare a node start each.
 */
import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, symlink, writeFile, rm, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ArWriter } from '../archive/ar.js';
import { tarStream, type TarEntry } from '../archive/tar.js';
import { runKpkg, runKpkgInProcess, type KpkgRun } from '../testing/run-kpkg.js';
import { buildDeb, buildRpm, miniHeadersRoot, tempDir } from '../testing/verify-packages.js';

const MTIME = 1700000000;
let work = '';
before(async () => {
  work = await tempDir('kpkg-verify-malformed-');
});
after(async () => rm(work, { recursive: true, force: true }));

async function bytesOf(entries: TarEntry[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of tarStream(entries)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function file(name: string, data: string): TarEntry {
  return { type: 'file', name, mode: 0o644, mtime: MTIME, size: Buffer.byteLength(data), content: { from: 'bytes', data: Buffer.from(data) } };
}

/** A .deb assembled with kpkg's own ar writer around the given (uncompressed) data.tar bytes. */
async function debAround(name: string, dataTar: Buffer, dataName = 'data.tar'): Promise<string> {
  const control = await bytesOf([file('./control', 'Package: evil\nVersion: 1\nArchitecture: arm64\nMaintainer: x <x@x.invalid>\nDescription: x\n')]);
  const path = join(work, name);
  const out = createWriteStream(path);
  const ar = new ArWriter(out);
  await ar.add({ name: 'debian-binary', size: 4, mtime: MTIME }, Buffer.from('2.0\n'));
  await ar.add({ name: 'control.tar', size: control.length, mtime: MTIME }, control);
  await ar.add({ name: dataName, size: dataTar.length, mtime: MTIME }, dataTar);
  await ar.end();
  return path;
}

async function expectUnreadable(args: string[], pattern: RegExp, run: (args: readonly string[]) => Promise<KpkgRun> = runKpkgInProcess): Promise<void> {
  const started = Date.now();
  const r = await run(['verify', ...args]);
  assert.equal(r.exitCode, 2, `exit status for ${args.join(' ')}: ${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /internal error/);
  assert.equal(r.stdout, '', 'no report for an unreadable input');
  assert.ok(Date.now() - started < 30_000, 'finishes promptly');
}

describe('kpkg verify on malformed and hostile inputs: exit status 2 with the reason', { timeout: 300_000 }, () => {
  it('a missing file, a zero-length file and a file of unknown format', async () => {
    await expectUnreadable([join(work, 'does-not-exist.deb')], /cannot read .*does-not-exist\.deb: no such file or directory/, runKpkg);
    const empty = join(work, 'empty.deb');
    await writeFile(empty, '');
    await expectUnreadable([empty], /empty\.deb: the file is empty \(0 bytes\)/, runKpkg);
    const text = join(work, 'notes.deb');
    await writeFile(text, 'this is not a package\n');
    await expectUnreadable([text], /notes\.deb: unknown file format \(first bytes 74 68 69 73/, runKpkg);
  });

  it('a truncated .deb (ar member cut short) and a corrupt xz stream', async () => {
    const dir = await miniHeadersRoot();
    const deb = await readFile(await buildDeb(dir, { package: 'cut', architecture: 'arm64' }, { compression: 'none' }));
    await rm(dir, { recursive: true, force: true });
    const cut = join(work, 'cut.deb');
    await writeFile(cut, deb.subarray(0, Math.floor(deb.length * 0.6)));
    await expectUnreadable([cut], /cut\.deb: .*truncated/);
    const data = await bytesOf([file('./usr/share/x', 'x')]);
    const garbage = Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), data]);
    await expectUnreadable([await debAround('badxz.deb', garbage, 'data.tar.xz')], /badxz\.deb: 'xz -d .*' failed/);
  });

  it('a tar header with a bad checksum, in a .deb and in a plain .tar', async () => {
    const data = await bytesOf([file('./usr/share/a', 'a'), file('./usr/share/b', 'b')]);
    data[1024 + 10] = 0x41; // the second header's name
    await expectUnreadable([await debAround('badsum.deb', data)], /badsum\.deb: data\.tar: bad header checksum at offset 1024/);
    const tar = join(work, 'badsum.tar');
    await writeFile(tar, data);
    await expectUnreadable([tar], /badsum\.tar: bad header checksum at offset 1024/);
  });

  it('gigantic declared sizes: ar member, tar entry, rpm header', async () => {
    const data = await bytesOf([file('./usr/share/a', 'a')]);
    const deb = await readFile(await debAround('huge-ar.deb', data));
    // The data member's header is the last one; its size field is at offset 48 of the header.
    const at = deb.lastIndexOf(Buffer.from('data.tar'));
    deb.write('9999999999', at + 48, 'latin1');
    const hugeAr = join(work, 'huge-ar2.deb');
    await writeFile(hugeAr, deb);
    await expectUnreadable([hugeAr], /ar member 'data\.tar' at offset \d+ declares 9999999999 bytes, more than the limit/);

    const hugeTar = Buffer.from(data);
    // GNU base-256 size: 2^40 bytes (1 TiB), checksum recomputed so the header itself is valid.
    hugeTar.fill(0, 124, 136);
    hugeTar[124] = 0x80;
    hugeTar[130] = 0x01;
    hugeTar.fill(0x20, 148, 156);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += hugeTar[i] ?? 0;
    hugeTar.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    const tarFile = join(work, 'huge.tar');
    await writeFile(tarFile, hugeTar);
    await expectUnreadable([tarFile], /huge\.tar: entry '\.\/usr\/share\/a' at offset 0 is truncated: it declares 1099511627776 bytes/);

    const dir = await miniHeadersRoot();
    const rpm = await readFile(await buildRpm(dir, { name: 'huge', arch: 'aarch64', payload: 'gzip' }));
    await rm(dir, { recursive: true, force: true });
    rpm.writeUInt32BE(0x7fffffff, 96 + 12);
    const rpmFile = join(work, 'huge.rpm');
    await writeFile(rpmFile, rpm);
    await expectUnreadable([rpmFile], /huge\.rpm: rpm signature header at offset 96 declares 2147483647 bytes of data/);
  });

  it("'..' member names are refused, and nothing is written anywhere", async () => {
    const before = await readdir(work);
    const evil = await bytesOf([file('./usr/share/ok', 'ok'), file('./usr/../../../tmp/kpkg-evil-escape', 'pwned')]);
    await expectUnreadable([await debAround('dotdot.deb', evil)], /dotdot\.deb: .*member name "\.\/usr\/\.\.\/\.\.\/\.\.\/tmp\/kpkg-evil-escape" has a '\.\.' component/);
    const tar = join(work, 'dotdot.tar');
    await writeFile(tar, await bytesOf([file('../escape', 'x')]));
    await expectUnreadable([tar], /dotdot\.tar: member name "\.\.\/escape" has a '\.\.' component/);
    await assert.rejects(readFile('/tmp/kpkg-evil-escape'), { code: 'ENOENT' });
    assert.deepEqual((await readdir(work)).filter((f) => !before.includes(f)).sort(), ['dotdot.deb', 'dotdot.tar']);
  });

  it('symlink loops, in an archive and in a directory', async () => {
    const loop = await bytesOf([
      { type: 'symlink', name: './lib/modules/6.1.0/build', target: 'a', mtime: MTIME },
      { type: 'symlink', name: './lib/modules/6.1.0/a', target: 'b', mtime: MTIME },
      { type: 'symlink', name: './lib/modules/6.1.0/b', target: 'a', mtime: MTIME },
    ]);
    await expectUnreadable([await debAround('loop.deb', loop)], /symlink loop while resolving \/lib\/modules\/6\.1\.0\/(build|a|b)/);
    const dir = join(work, 'loopdir');
    await mkdir(join(dir, 'usr/src'), { recursive: true });
    await symlink('../src/x', join(dir, 'usr/src/x'));
    await expectUnreadable([dir], /symlink loop while resolving \/usr\/src\/x: \/usr\/src\/x -> \.\.\/src\/x/);
  });

  it('an unknown or ambiguous --arch is a usage error', async () => {
    const tar = join(work, 'ok.tar');
    await writeFile(tar, await bytesOf([file('./usr/share/ok', 'ok')]));
    await expectUnreadable([tar, '--arch', 'vax'], /--arch vax: unknown architecture/);
    await expectUnreadable([tar, '--arch', 'arm'], /--arch arm is ambiguous: it is the kernel architecture of armhf and armel/);
  });
});
