// openRpm refuses a header rpm refuses, in rpm's words: .rpm files from kpkg's writer with one
// count or trailer changed after the fact; rpm -qp (digests off, so that it reads the header at all) is the referee.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { rpmPackager } from '../formats/rpm/write-rpm.js';
import type { PackageDescription } from '../package/model.js';
import { tinyPackage } from '../testing/family-packages.js';
import { mainEntry, withSignature } from '../testing/rpm-header.js';
import { HeaderBuilder } from '../formats/rpm/header.js';
import { KpkgError } from '../util/errors.js';
import { openRpm, RPMTAG } from './rpm.js';

const run = promisify(execFile);

/** What rpm says reading FILE's header, digests and signatures not checked: its error line, or '' when it reads it. */
async function rpmRefusal(file: string): Promise<string> {
  try {
    await run('rpm', ['-qlp', '--nodigest', '--nosignature', file]);
    return '';
  } catch (e) {
    const line = ((e as { stderr?: string }).stderr ?? '').split('\n')[0] ?? '';
    return line.replace(`error: ${file}: `, '');
  }
}

/** openRpm's verdict on the header: its error without the file name and the header's place, or '' when it reads it. */
async function kpkgRefusal(bytes: Buffer): Promise<string> {
  try {
    const rpm = await openRpm([bytes]);
    await rpm.close();
    return '';
  } catch (e) {
    assert.ok(e instanceof KpkgError, String(e));
    return e.message.replace(/^rpm: rpm (main|signature) header( at offset \d+)?: /, '');
  }
}

const threeFiles: PackageDescription = {
  ...tinyPackage(),
  entries: ['a.h', 'b.h', 'c.h'].map((name) => ({
    kind: 'file',
    path: `/usr/src/kpkg-family-test/${name}`,
    mode: 0o644,
    size: 2,
    source: { from: 'bytes', data: Buffer.from(`${name[0] ?? ''}\n`) },
  })),
};

let dir = '';
let good = Buffer.alloc(0);
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kpkg-rpm-header-'));
  const file = join(dir, 'good.rpm');
  await rpmPackager.write(threeFiles, file, { compression: 'gzip' });
  good = await readFile(file);
});
after(() => rm(dir, { recursive: true, force: true }));

/** Both verdicts on `bytes`, written as NAME.rpm for rpm. */
async function verdicts(name: string, bytes: Buffer): Promise<{ kpkg: string; rpm: string }> {
  const file = join(dir, `${name}.rpm`);
  await writeFile(file, bytes);
  return { kpkg: await kpkgRefusal(bytes), rpm: await rpmRefusal(file) };
}

/** `file` with the count of the main header's `tag` changed by `by`. */
function withCount(file: Buffer, tag: number, by: number): Buffer {
  const changed = Buffer.from(file);
  const entry = mainEntry(changed, tag);
  changed.writeUInt32BE(entry.count + by, entry.entryAt + 12);
  return changed;
}

describe('rpm header checks', () => {
  it("kpkg's own .rpm is read by both", async () => {
    assert.deepEqual(await verdicts('good', good), { kpkg: '', rpm: '' });
  });

  it('a BASENAMES count one too high runs into the next entry: refused with the words rpm uses', async () => {
    const { kpkg, rpm } = await verdicts('basenames-up', withCount(good, RPMTAG.BASENAMES, 1));
    assert.match(rpm, /^tag\[\d+\]: BAD, tag \d+ type \d+ offset \d+ count \d+ len \d+$/);
    assert.equal(kpkg, rpm);
  });

  it('a BASENAMES or DIRINDEXES count one too low leaves data no entry covers: hdr load: BAD', async () => {
    for (const tag of [RPMTAG.BASENAMES, RPMTAG.DIRINDEXES]) {
      const { kpkg, rpm } = await verdicts(`down-${tag}`, withCount(good, tag, -1));
      assert.deepEqual({ kpkg, rpm }, { kpkg: 'hdr load: BAD', rpm: 'hdr load: BAD' }, String(tag));
    }
  });

  it('a count far past the data store, and a string array missing its NULs', async () => {
    const huge = await verdicts('huge', withCount(good, RPMTAG.DIRNAMES, 0x7000));
    assert.equal(huge.kpkg, huge.rpm);
    const noNul = Buffer.from(good);
    noNul.fill(0x41, mainEntry(noNul, RPMTAG.BASENAMES).dataAt, mainEntry(noNul, RPMTAG.DIRNAMES).dataAt);
    const unterminated = await verdicts('no-nul', noNul);
    assert.match(unterminated.kpkg, /^tag\[\d+\]: BAD, tag 1118 type 8 /, 'the strings run into DIRNAMES');
    assert.equal(unterminated.kpkg, unterminated.rpm);
  });

  it('a region trailer that names another tag: region trailer: BAD', async () => {
    const bytes = Buffer.from(good);
    const region = mainEntry(bytes, RPMTAG.HEADERIMMUTABLE);
    bytes.writeUInt32BE(RPMTAG.HEADERSIGNATURES, region.dataAt);
    const { kpkg, rpm } = await verdicts('trailer', bytes);
    assert.match(rpm, /^region trailer: BAD, tag 62 type 7 offset -?\d+ count 16$/);
    assert.equal(kpkg, rpm);
  });

  it('DIRINDEXES naming a directory the header does not have: the file triplet is refused', async () => {
    const bytes = Buffer.from(good);
    bytes.writeUInt32BE(7, mainEntry(bytes, RPMTAG.DIRINDEXES).dataAt + 4);
    assert.equal(
      await kpkgRefusal(bytes),
      'file triplet: BAD, BASENAMES count 3, DIRNAMES count 1, DIRINDEXES count 3: index 1 names directory 7',
    );
  });

  it('a signature header of more than 32 tags', async () => {
    const signature = new HeaderBuilder();
    for (let tag = 2000; tag < 2033; tag++) signature.int32(tag, [0]);
    const { kpkg, rpm } = await verdicts(
      'signature-tags',
      withSignature(good, signature.encode(RPMTAG.HEADERSIGNATURES)),
    );
    assert.equal(rpm, 'signature hdr tags: BAD, no. of tags(34) out of range');
    assert.equal(kpkg, 'rpm: rpm signature header at offset 96 declares 34 tags (rpm allows 1 to 32)');
  });
});
