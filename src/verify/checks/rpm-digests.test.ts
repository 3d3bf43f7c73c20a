// rpm-digests and rpm-digests-missing on .rpm files kpkg's writer makes, changed after the fact;
// rpm -K is the referee.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RPMSIGTAG, RPMTAG } from '../../archive/rpm.js';
import { HeaderBuilder } from '../../formats/rpm/header.js';
import { rpmPackager } from '../../formats/rpm/write-rpm.js';
import { readInput } from '../../reader/open.js';
import { tinyPackage } from '../../testing/family-packages.js';
import { mainEntry, rpmHeaders, withSignature } from '../../testing/rpm-header.js';
import type { Finding } from '../findings.js';
import { checkRpmDigests } from './rpm-digests.js';

function flip(bytes: Buffer, at: number, mask: number): void {
  bytes.writeUInt8((bytes.readUInt8(at) ^ mask) & 0xff, at);
}

/** rpm's standard output and exit status (rpm -K: 1 when the digests are not OK). */
function rpm(args: readonly string[]): Promise<{ stdout: string; status: number }> {
  return new Promise((resolve) => {
    // The callback comes after the process closed: its exit code is known.
    const child = execFile('rpm', [...args], (_, stdout) => resolve({ stdout, status: child.exitCode ?? -1 }));
  });
}

/** `rpm -K FILE`'s line and exit status. */
async function rpmK(file: string): Promise<{ line: string; status: number }> {
  const { stdout, status } = await rpm(['-K', file]);
  return { line: stdout.trim(), status };
}

let dir = '';
let good = Buffer.alloc(0);
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kpkg-rpm-digests-'));
  const file = join(dir, 'good.rpm');
  await rpmPackager.write(tinyPackage(), file, { compression: 'gzip' });
  good = await readFile(file);
});
after(() => rm(dir, { recursive: true, force: true }));

/** Writes `bytes` as NAME.rpm, reads it as verify does and runs the check. */
async function digestFindings(
  name: string,
  bytes: Buffer,
): Promise<{ file: string; bad: Finding[]; missing: Finding[] }> {
  const file = join(dir, `${name}.rpm`);
  await writeFile(file, bytes);
  const outcome = checkRpmDigests([await readInput(file)]);
  return { file, bad: outcome['rpm-digests'].findings, missing: outcome['rpm-digests-missing'].findings };
}

describe('rpm-digests', () => {
  it("kpkg's own .rpm: all four digests match, none missing", async () => {
    const { file, bad, missing } = await digestFindings('kpkg', good);
    assert.deepEqual([bad, missing], [[], []]);
    assert.deepEqual(await rpmK(file), { line: `${file}: digests OK`, status: 0 });
    const outcome = checkRpmDigests([await readInput(file)]);
    assert.equal(outcome['rpm-digests'].note, '4 digests');
  });

  it('a NAME changed after the package was made: the header digests and MD5 are BAD, with both values', async () => {
    const tampered = Buffer.from(good);
    flip(tampered, mainEntry(tampered, RPMTAG.NAME).dataAt, 0x20); // kpkg-… → Kpkg-…
    const { file, bad, missing } = await digestFindings('name', tampered);
    assert.deepEqual(await rpmK(file), { line: `${file}: DIGESTS NOT OK`, status: 1 });
    assert.deepEqual(
      bad.map((f) => [f.check, f.severity, f.package, f.message.split(':')[0]]),
      [
        ['rpm-digests', 'error', 'Kpkg-family-test', 'Header SHA256 digest'],
        ['rpm-digests', 'error', 'Kpkg-family-test', 'Header SHA1 digest'],
        ['rpm-digests', 'error', 'Kpkg-family-test', 'MD5 digest'],
      ],
    );
    const sha256 = bad[0];
    assert.match(sha256?.expected ?? '', /^[0-9a-f]{64}$/);
    assert.match(sha256?.found ?? '', /^[0-9a-f]{64}$/);
    assert.notEqual(sha256?.expected, sha256?.found);
    assert.equal(
      sha256?.message,
      `Header SHA256 digest: BAD (Expected ${sha256?.expected} != ${sha256?.found}): changed since the digest was made`,
    );
    assert.match(
      (await rpm(['-Kv', file])).stdout,
      new RegExp(`Header SHA256 digest: BAD \\(Expected ${sha256?.expected} != ${sha256?.found}\\)`),
    );
    assert.deepEqual(missing, []);
  });

  it('a payload byte changed: the payload digest and MD5 are BAD', async () => {
    const tampered = Buffer.from(good);
    flip(tampered, rpmHeaders(tampered).main.end + 4, 1); // the gzip member's MTIME: the cpio still reads
    const { file, bad } = await digestFindings('payload', tampered);
    assert.deepEqual(await rpmK(file), { line: `${file}: DIGESTS NOT OK`, status: 1 });
    assert.deepEqual(
      bad.map((f) => f.message.split(':')[0]),
      ['Payload SHA256 digest', 'MD5 digest'],
    );
  });

  it('no digest in the signature header: the header is missing one (warning), as rpm -K says', async () => {
    const bare = new HeaderBuilder().int32(RPMSIGTAG.SIZE, [good.length]).encode(RPMTAG.HEADERSIGNATURES);
    const { file, bad, missing } = await digestFindings('nodigest', withSignature(good, bare));
    assert.deepEqual(await rpmK(file), { line: `${file}: DIGESTS NOT OK`, status: 1 });
    assert.deepEqual(bad, []);
    assert.deepEqual(
      missing.map((f) => [f.check, f.severity, f.message]),
      [
        [
          'rpm-digests-missing',
          'warning',
          'no digest of the header: Header SHA256 digest, Header SHA1 digest and MD5 digest are NOTFOUND (rpm -K: DIGESTS NOT OK)',
        ],
      ],
    );
  });

  it("a digest tag that is not hex is a BAD digest in rpm's words", async () => {
    const notHex = new HeaderBuilder()
      .string(RPMSIGTAG.SHA256, 'z'.repeat(64))
      .int32(RPMSIGTAG.SIZE, [good.length])
      .encode(RPMTAG.HEADERSIGNATURES);
    const { bad } = await digestFindings('nothex', withSignature(good, notHex));
    assert.deepEqual(
      bad.map((f) => f.message),
      ['Header SHA256 digest: BAD (package: tag 273: invalid hex)'],
    );
  });

  it('no .rpm among the inputs: n/a', () => {
    const outcome = checkRpmDigests([{ input: 'x.tar', format: 'tar', name: 'x', members: [] }]);
    assert.deepEqual(outcome['rpm-digests'], { applicable: false, findings: [], note: 'no .rpm among the inputs' });
  });
});
