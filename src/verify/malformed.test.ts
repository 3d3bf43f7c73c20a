/**
 * Inputs that cannot be read give exit status 2 and say why — never a crash, a hang or a write.
 * The first cases run the built CLI as a user would; the rest run its main() in this process
 * (runKpkgInProcess: the same code but for bin.js's signal handlers), to spare a node start each.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, symlink, writeFile, rm, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RPMTAG } from '../archive/rpm.js';
import { rpmPackager } from '../formats/rpm/write-rpm.js';
import { tinyPackage } from '../testing/family-packages.js';
import { mainEntry } from '../testing/rpm-header.js';
import { runKpkg, runKpkgInProcess } from '../testing/run-kpkg.js';
import { tempDir } from '../testing/verify-packages.js';
import { bytesOf, expectUnreadable, file, MTIME, writeDebAround } from '../testing/malformed-inputs.js';

// A .deb cut short (dpkg-deb) and gigantic declared sizes (one in an rpmbuild package) are in
// malformed.slow.test.ts.
let work = '';
before(async () => {
  work = await tempDir('kpkg-verify-malformed-');
});
after(async () => rm(work, { recursive: true, force: true }));

/** A .deb in the work directory assembled with kpkg's own ar writer around the data.tar bytes. */
const debAround = (name: string, dataTar: Buffer, dataName?: string): Promise<string> =>
  writeDebAround(join(work, name), dataTar, dataName);

describe('kpkg verify on malformed and hostile inputs: exit status 2 with the reason', { timeout: 300_000 }, () => {
  it('a missing file, a zero-length file and a file of unknown format', async () => {
    await expectUnreadable(
      [join(work, 'does-not-exist.deb')],
      /cannot read .*does-not-exist\.deb: no such file or directory/,
      runKpkg,
    );
    const empty = join(work, 'empty.deb');
    await writeFile(empty, '');
    await expectUnreadable([empty], /empty\.deb: the file is empty \(0 bytes\)/, runKpkg);
    const text = join(work, 'notes.deb');
    await writeFile(text, 'this is not a package\n');
    await expectUnreadable([text], /notes\.deb: unknown file format \(first bytes 74 68 69 73/, runKpkg);
  });

  it('a tar header with a bad checksum, in a .deb and in a plain .tar', async () => {
    const data = await bytesOf([file('./usr/share/a', 'a'), file('./usr/share/b', 'b')]);
    data[1024 + 10] = 0x41; // the second header's name
    await expectUnreadable(
      [await debAround('badsum.deb', data)],
      /badsum\.deb: data\.tar: bad header checksum at offset 1024/,
    );
    const tar = join(work, 'badsum.tar');
    await writeFile(tar, data);
    await expectUnreadable([tar], /badsum\.tar: bad header checksum at offset 1024/);
  });

  it("'..' member names are refused, and nothing is written anywhere", async () => {
    const before = await readdir(work);
    const evil = await bytesOf([file('./usr/share/ok', 'ok'), file('./usr/../../../tmp/kpkg-evil-escape', 'pwned')]);
    await expectUnreadable(
      [await debAround('dotdot.deb', evil)],
      /dotdot\.deb: .*member name "\.\/usr\/\.\.\/\.\.\/\.\.\/tmp\/kpkg-evil-escape" has a '\.\.' component/,
    );
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
    await expectUnreadable(
      [await debAround('loop.deb', loop)],
      /symlink loop while resolving \/lib\/modules\/6\.1\.0\/(build|a|b)/,
    );
    const dir = join(work, 'loopdir');
    await mkdir(join(dir, 'usr/src'), { recursive: true });
    await symlink('../src/x', join(dir, 'usr/src/x'));
    await expectUnreadable([dir], /symlink loop while resolving \/usr\/src\/x: \/usr\/src\/x -> \.\.\/src\/x/);
  });

  it("an .rpm whose header rpm refuses (a BASENAMES count one too high): one line in rpm's words", async () => {
    const rpm = join(work, 'basenames.rpm');
    await rpmPackager.write(tinyPackage(), rpm, { compression: 'gzip' });
    const bytes = await readFile(rpm);
    const names = mainEntry(bytes, RPMTAG.BASENAMES);
    bytes.writeUInt32BE(names.count + 1, names.entryAt + 12);
    await writeFile(rpm, bytes);
    await expectUnreadable(
      [rpm],
      /basenames\.rpm: rpm main header at offset \d+: tag\[\d+\]: BAD, tag 1118 type 8 offset \d+ count 1 len \d+\n$/,
    );
  });

  it('an .rpm whose NAME was changed after it was made: rpm-digests errors, exit status 1', async () => {
    const rpm = join(work, 'name.rpm');
    await rpmPackager.write(tinyPackage(), rpm, { compression: 'gzip' });
    const bytes = await readFile(rpm);
    bytes.write('K', mainEntry(bytes, RPMTAG.NAME).dataAt);
    await writeFile(rpm, bytes);
    const r = await runKpkgInProcess(['verify', '--json', rpm]);
    assert.equal(r.exitCode, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { findings: { check: string; message: string }[] };
    assert.deepEqual(
      report.findings.filter((f) => f.check === 'rpm-digests').map((f) => f.message.split(':')[0]),
      ['Header SHA256 digest', 'Header SHA1 digest', 'MD5 digest'],
    );
  });

  it('an unknown or ambiguous --arch is a usage error', async () => {
    const tar = join(work, 'ok.tar');
    await writeFile(tar, await bytesOf([file('./usr/share/ok', 'ok')]));
    await expectUnreadable([tar, '--arch', 'vax'], /--arch vax: unknown architecture/);
    await expectUnreadable(
      [tar, '--arch', 'arm'],
      /--arch arm is ambiguous: it is the kernel architecture of armhf and armel/,
    );
  });
});
