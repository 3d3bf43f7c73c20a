// openRpm on packages built by rpmbuild (not in test:unit: every case needs rpmbuild's output).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decompressed } from '../reader/decompressed.js';
import { buildRpm, miniHeadersRoot, tool } from '../testing/verify-packages.js';
import { mainEntry } from '../testing/rpm-header.js';
import { KpkgError } from '../util/errors.js';
import { readCpio } from './cpio.js';
import { openRpm, RPM_LEAD_SIZE, RPMTAG } from './rpm.js';

async function payloadNames(file: Buffer | string): Promise<string[]> {
  const bytes = typeof file === 'string' ? await readFile(file) : file;
  const rpm = await openRpm([bytes]);
  const names: string[] = [];
  try {
    for await (const e of readCpio(decompressed(rpm.payloadCompression, rpm.payload))) names.push(e.name);
  } finally {
    await rpm.close();
  }
  return names;
}

describe('openRpm on packages built by rpmbuild', () => {
  let root = '';
  const built = new Map<string, string>();
  before(async () => {
    root = await miniHeadersRoot();
    for (const payload of ['gzip', 'xz', 'zstd', 'bzip2'] as const)
      built.set(payload, await buildRpm(root, { name: `kpkg-rpm-${payload}`, arch: 'aarch64', payload }));
  });
  after(async () => rm(root, { recursive: true, force: true }));

  it('reads the header: name, version, release, arch, payload format and compressor', async () => {
    for (const [payload, file] of built) {
      const rpm = await openRpm([await readFile(file)], { where: file });
      await rpm.close();
      assert.equal(rpm.header.string(RPMTAG.NAME), `kpkg-rpm-${payload}`);
      assert.equal(rpm.header.string(RPMTAG.VERSION), '1.0');
      assert.equal(rpm.header.string(RPMTAG.RELEASE), '1');
      assert.equal(rpm.header.string(RPMTAG.ARCH), 'aarch64');
      assert.equal(rpm.payloadFormat, 'cpio');
      assert.equal(rpm.payloadCompression, payload === 'xz' ? 'xz' : payload);
      assert.equal(rpm.lead.major, 3);
      // What rpm itself says about the same file.
      assert.equal((await tool('rpm', ['-qp', '--qf', '%{PAYLOADCOMPRESSOR}', file])).trim(), payload);
    }
  });

  it('the file list in the header and the cpio payload agree with rpm -qlp', async () => {
    for (const file of built.values()) {
      const listed = (await tool('rpm', ['-qlp', file])).trim().split('\n').sort();
      const names = (await payloadNames(file)).map((n) => n.replace(/^\./, '')).sort();
      assert.deepEqual(names, listed);
      const rpm = await openRpm([await readFile(file)]);
      await rpm.close();
      const basenames = rpm.header.strings(RPMTAG.BASENAMES) ?? [];
      assert.deepEqual([...basenames].sort(), listed.map((p) => p.slice(p.lastIndexOf('/') + 1)).sort());
      assert.equal(rpm.header.numbers(RPMTAG.FILESIZES)?.length, listed.length);
    }
  });

  it('rejects wrong magic, truncation and absurd header sizes with a KpkgError', async () => {
    const good = await readFile(built.get('zstd') ?? '');
    const fails = async (bytes: Buffer, pattern: RegExp): Promise<void> => {
      await assert.rejects(
        payloadNames(bytes),
        (e: unknown) => e instanceof KpkgError && pattern.test(e.message),
        String(pattern),
      );
    };
    await fails(Buffer.alloc(0), /empty/);
    await fails(Buffer.from('!<arch>\nnot an rpm'), /bad lead magic/);
    await fails(good.subarray(0, 50), /truncated rpm lead/);
    await fails(good.subarray(0, RPM_LEAD_SIZE + 10), /truncated rpm signature header/);
    await fails(good.subarray(0, RPM_LEAD_SIZE + 200), /truncated rpm signature header (index|data)/);
    await fails(good.subarray(0, good.length - 100), /./);
    const hugeCount = Buffer.from(good);
    hugeCount.writeUInt32BE(0xffffffff, RPM_LEAD_SIZE + 8);
    await fails(hugeCount, /declares 4294967295 tags/);
    const hugeData = Buffer.from(good);
    hugeData.writeUInt32BE(0x7fffffff, RPM_LEAD_SIZE + 12);
    await fails(hugeData, /declares 2147483647 bytes of data/);
    const badHeaderMagic = Buffer.from(good);
    badHeaderMagic[RPM_LEAD_SIZE] = 0;
    await fails(badHeaderMagic, /bad rpm signature header magic/);
  });

  it("rpmbuild's digests match; a NAME changed afterwards fails the header digests as rpm -Kv says", async () => {
    for (const file of built.values()) {
      const rpm = await openRpm([await readFile(file)], { where: file });
      const { results, missing } = await rpm.digests();
      assert.deepEqual(
        [results.map((r) => `${r.name}: ${r.ok ? 'OK' : 'BAD'}`), missing],
        [['Header SHA256 digest: OK', 'Header SHA1 digest: OK', 'Payload SHA256 digest: OK', 'MD5 digest: OK'], []],
        file,
      );
    }
    const tampered = await readFile(built.get('zstd') ?? '');
    const name = mainEntry(tampered, RPMTAG.NAME);
    tampered.write('K', name.dataAt);
    const file = join(root, 'tampered.rpm');
    await writeFile(file, tampered);
    const rpm = await openRpm([tampered]);
    const { results } = await rpm.digests();
    const rpmSays = await new Promise<string>((resolve) =>
      execFile('rpm', ['-Kv', file], (_, stdout) => resolve(stdout)),
    );
    for (const r of results.filter((d) => d.name.startsWith('Header') || d.name.startsWith('MD5'))) {
      assert.equal(r.ok, false, r.name);
      assert.ok(
        rpmSays.includes(`${r.name}: BAD (Expected ${r.expected ?? ''} != ${r.found ?? ''})`),
        `${r.name} in ${rpmSays}`,
      );
    }
    assert.equal(results.find((r) => r.name === 'Payload SHA256 digest')?.ok, true);
  });
});
