/**
 * Member and file names are their bytes: `t\xff` and `t\xfe`, which a lossy UTF-8 decoding reads
 * as one name, stay two members in every reader and every check, and each is named in the report
 * with its bytes escaped. The inputs are crafted here: tars whose name fields are patched to bytes
 * that are not UTF-8, and a directory made with Buffer paths.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { TarEntry } from '../archive/tar.js';
import { readInput } from '../reader/open.js';
import { neededElf } from '../testing/hostile-packages.js';
import {
  bytesOf,
  file,
  MTIME,
  setTarName,
  TAR_TYPEFLAG,
  tarHeaderNamed,
  writeDebAround,
  sealTarHeader,
} from '../testing/malformed-inputs.js';
import { tempDir } from '../testing/verify-packages.js';
import { decodeName } from '../util/name-bytes.js';
import { formatReport } from './report.js';
import { verifyPackages } from './verify.js';

const X86_64 = 62;
/** An x86-64 shared object: the member an arm64 package must not hold. */
const WRONG_ELF = neededElf(X86_64, []);
const TEXT = 'only text here\n';

/** './usr/lib/kpkg/t' and one byte that is not UTF-8 on its own. */
function nameWithByte(byte: number): Buffer {
  return Buffer.concat([Buffer.from('./usr/lib/kpkg/t'), Buffer.of(byte)]);
}

/** The install path verify gives the member named nameWithByte(byte). */
function pathWithByte(byte: number): string {
  return decodeName(nameWithByte(byte).subarray(1));
}

/** A data.tar with the x86-64 ELF at `t\xff` and a text file after it at `t\xfe`. */
async function elfBesideText(extra: TarEntry[] = []): Promise<Buffer> {
  const tar = await bytesOf([file('./usr/lib/kpkg/tA', WRONG_ELF), file('./usr/lib/kpkg/tB', TEXT), ...extra]);
  setTarName(tar, './usr/lib/kpkg/tA', nameWithByte(0xff));
  return setTarName(tar, './usr/lib/kpkg/tB', nameWithByte(0xfe));
}

const md5 = (data: string | Buffer): string => createHash('md5').update(data).digest('hex');

let work = '';
before(async () => {
  work = await tempDir('kpkg-verify-names-');
});

describe('names as bytes', () => {
  it('an x86-64 ELF named t\\xff beside a text file t\\xfe: verify --arch arm64 fails on the ELF', async () => {
    const pkg = await readInput(await writeDebAround(join(work, 'elf.deb'), await elfBesideText()));
    const report = verifyPackages([pkg], 'arm64');
    assert.deepEqual(
      report.findings.filter((f) => f.check === 'elf-machine').map((f) => f.path),
      [pathWithByte(0xff)],
    );
    assert.equal(report.result, 'fail');
    assert.deepEqual(
      report.findings.filter((f) => f.check === 'name-not-utf8').map((f) => [f.severity, f.path]),
      [
        ['warning', pathWithByte(0xff)],
        ['warning', pathWithByte(0xfe)],
      ],
    );
    const text = formatReport(report);
    assert.match(text, /\/usr\/lib\/kpkg\/t\\xff \(evil\): the member name is not valid UTF-8\n/);
    assert.match(text, /\/usr\/lib\/kpkg\/t\\xfe \(evil\): the member name is not valid UTF-8\n/);
  });

  it("md5sums are matched on bytes: the text file's digest listed for t\\xff does not pass for the ELF", async () => {
    const md5sums = Buffer.concat([Buffer.from(`${md5(TEXT)}  `), nameWithByte(0xff).subarray(2), Buffer.from('\n')]);
    const deb = await writeDebAround(join(work, 'md5.deb'), await elfBesideText(), 'data.tar', [
      file('./md5sums', md5sums),
    ]);
    const report = verifyPackages([await readInput(deb)], 'arm64');
    const sums = report.findings.filter((f) => f.check === 'deb-md5sums' || f.check === 'deb-md5sums-incomplete');
    assert.deepEqual(
      sums.map((f) => [f.check, f.path]),
      [
        ['deb-md5sums', pathWithByte(0xff)],
        ['deb-md5sums-incomplete', pathWithByte(0xfe)],
      ],
    );
  });

  it('a hard link to t\\xff where only t\\xfe is held is dangling', async () => {
    const link: TarEntry = { type: 'symlink', name: './usr/lib/kpkg/h', target: './usr/lib/kpkg/tX', mtime: MTIME };
    const tar = await bytesOf([file('./usr/lib/kpkg/tB', TEXT), link]);
    setTarName(tar, './usr/lib/kpkg/tB', nameWithByte(0xfe));
    setTarName(tar, './usr/lib/kpkg/h', nameWithByte(0xff), 'linkname');
    const header = tarHeaderNamed(tar, './usr/lib/kpkg/h');
    header[TAR_TYPEFLAG] = '1'.charCodeAt(0);
    sealTarHeader(header);
    const report = verifyPackages([await readInput(await writeDebAround(join(work, 'link.deb'), tar))], 'arm64');
    assert.deepEqual(
      report.findings.filter((f) => f.check === 'hardlink-dangling').map((f) => [f.path, f.expected]),
      [['/usr/lib/kpkg/h', pathWithByte(0xff)]],
    );
  });

  it('a directory with names that are not UTF-8 is read, each name its own member', async () => {
    const root = join(work, 'tree');
    await mkdir(join(root, 'usr/lib/kpkg'), { recursive: true });
    const at = (byte: number): Buffer => Buffer.concat([Buffer.from(`${root}/`), nameWithByte(byte).subarray(2)]);
    await writeFile(at(0xff), WRONG_ELF);
    await writeFile(at(0xfe), TEXT);
    const pkg = await readInput(root);
    assert.deepEqual(
      pkg.members.filter((m) => m.type === 'file').map((m) => [m.path, m.size]),
      [
        [pathWithByte(0xfe), TEXT.length],
        [pathWithByte(0xff), WRONG_ELF.length],
      ],
    );
    const report = verifyPackages([pkg], 'arm64');
    assert.deepEqual(
      report.findings.filter((f) => f.check === 'elf-machine').map((f) => f.path),
      [pathWithByte(0xff)],
    );
  });
});
