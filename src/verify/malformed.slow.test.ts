// kpkg verify on malformed packages made from real ones (dpkg-deb, rpmbuild), not in test:unit;
// the other malformed inputs are in malformed.test.ts. Exit status 2 with the reason.
import { readFile, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildDeb, buildRpm, miniHeadersRoot, tempDir } from '../testing/verify-packages.js';
import { bytesOf, expectUnreadable, file, writeDebAround } from '../testing/malformed-inputs.js';

let work = '';
before(async () => {
  work = await tempDir('kpkg-verify-malformed-');
});
after(async () => rm(work, { recursive: true, force: true }));

/** A .deb in the work directory assembled with kpkg's own ar writer around the data.tar bytes. */
const debAround = (name: string, dataTar: Buffer, dataName?: string): Promise<string> =>
  writeDebAround(join(work, name), dataTar, dataName);

describe('kpkg verify on malformed and hostile inputs: exit status 2 with the reason', { timeout: 300_000 }, () => {
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

  it('gigantic declared sizes: ar member, tar entry, rpm header', async () => {
    const data = await bytesOf([file('./usr/share/a', 'a')]);
    const deb = await readFile(await debAround('huge-ar.deb', data));
    // The data member's header is the last one; its size field is at offset 48 of the header.
    const at = deb.lastIndexOf(Buffer.from('data.tar'));
    deb.write('9999999999', at + 48, 'latin1');
    const hugeAr = join(work, 'huge-ar2.deb');
    await writeFile(hugeAr, deb);
    // ar's largest size is read as dpkg-deb reads it (no 4 GiB cap): the file does not hold it.
    await expectUnreadable(
      [hugeAr],
      /ar member 'data\.tar' at offset \d+ is truncated: it declares 9999999999 bytes but the archive ends early/,
    );

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
    await expectUnreadable(
      [tarFile],
      /huge\.tar: entry '\.\/usr\/share\/a' at offset 0 is truncated: it declares 1099511627776 bytes/,
    );

    const dir = await miniHeadersRoot();
    const rpm = await readFile(await buildRpm(dir, { name: 'huge', arch: 'aarch64', payload: 'gzip' }));
    await rm(dir, { recursive: true, force: true });
    rpm.writeUInt32BE(0x7fffffff, 96 + 12);
    const rpmFile = join(work, 'huge.rpm');
    await writeFile(rpmFile, rpm);
    await expectUnreadable([rpmFile], /huge\.rpm: rpm signature header at offset 96 declares 2147483647 bytes of data/);
  });
});
