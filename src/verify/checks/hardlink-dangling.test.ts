/**
 * A hard link whose target the package does not hold before it: dpkg-deb -x and tar -x stop
 * with "Cannot hard link to ...: No such file or directory", so verify must fail the package.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { TarEntry } from '../../archive/tar.js';
import {
  bytesOf,
  file,
  MTIME,
  sealTarHeader,
  TAR_TYPEFLAG,
  tarHeaderNamed,
  writeDebAround,
} from '../../testing/malformed-inputs.js';
import { tempDir } from '../../testing/verify-packages.js';
import type { ReadPackage } from '../../reader/model.js';
import { readInput } from '../../reader/open.js';
import { verifyContext, verifyPackages } from '../verify.js';
import { hardlinkCheck } from './hardlink-dangling.js';

/**
 * kpkg's tar writer writes no hard links: the tar of `entries` with the symlink `name` turned
 * into a hard link (typeflag '1', same linkname).
 */
async function tarWithHardLink(entries: TarEntry[], name: string): Promise<Buffer> {
  const tar = await bytesOf(entries);
  const header = tarHeaderNamed(tar, name);
  header[TAR_TYPEFLAG] = '1'.charCodeAt(0);
  sealTarHeader(header);
  return tar;
}

function link(name: string, target: string): TarEntry {
  return { type: 'symlink', name, target, mtime: MTIME };
}

let work = '';
before(async () => {
  work = await tempDir('kpkg-verify-hardlink-');
});

async function tarFile(name: string, tar: Buffer): Promise<string> {
  const path = join(work, name);
  await writeFile(path, tar);
  return path;
}

describe('hardlink-dangling', () => {
  it('a .deb with a hard link to a member it does not contain fails, naming the link and its target', async () => {
    const tar = await tarWithHardLink(
      [file('./usr/share/kpkg/a', 'a'), link('./usr/share/kpkg/b', './usr/share/kpkg/missing')],
      './usr/share/kpkg/b',
    );
    const pkg = await readInput(await writeDebAround(join(work, 'dangling.deb'), tar));
    const report = verifyPackages([pkg], 'arm64');
    const found = report.findings.filter((f) => f.check === 'hardlink-dangling');
    assert.deepEqual(
      found.map((f) => [f.severity, f.path, f.package, f.expected]),
      [['error', '/usr/share/kpkg/b', 'evil', '/usr/share/kpkg/missing']],
    );
    assert.match(
      found[0]?.message ?? '',
      /^hard link to \/usr\/share\/kpkg\/missing, which the package does not contain: dpkg-deb -x and tar -x fail extracting it$/,
    );
    assert.equal(report.result, 'fail');
  });

  it('a tar whose hard link comes before its target fails: extraction goes in archive order', async () => {
    const tar = await tarWithHardLink(
      [link('./usr/share/kpkg/b', './usr/share/kpkg/a'), file('./usr/share/kpkg/a', 'a')],
      './usr/share/kpkg/b',
    );
    const pkg = await readInput(await tarFile('later.tar', tar));
    const outcome = hardlinkCheck.run(verifyContext([pkg]))['hardlink-dangling'];
    assert.deepEqual(
      outcome.findings.map((f) => f.path),
      ['/usr/share/kpkg/b'],
    );
    assert.match(
      outcome.findings[0]?.message ?? '',
      /^hard link to \/usr\/share\/kpkg\/a, which comes after it in the archive/,
    );
  });

  it('a hard link to a file earlier in the package is clean', async () => {
    const tar = await tarWithHardLink(
      [file('./usr/share/kpkg/a', 'a'), link('./usr/share/kpkg/b', './usr/share/kpkg/a')],
      './usr/share/kpkg/b',
    );
    const pkg = await readInput(await tarFile('ok.tar', tar));
    assert.deepEqual(
      pkg.members.map((m) => [m.path, m.type, m.link]),
      [
        ['/usr/share/kpkg/a', 'file', undefined],
        ['/usr/share/kpkg/b', 'hardlink', '/usr/share/kpkg/a'],
      ],
    );
    assert.deepEqual(hardlinkCheck.run(verifyContext([pkg]))['hardlink-dangling'], {
      applicable: true,
      findings: [],
      note: '1 hard link',
    });
  });

  it("an rpm's hard links point to the member that carries the data, which comes last: no finding", () => {
    const rpm: ReadPackage = {
      input: 'x.rpm',
      format: 'rpm',
      name: 'x',
      members: [
        { path: '/usr/bin/x-link', type: 'hardlink', size: 0, mode: 0o755, link: '/usr/bin/x' },
        { path: '/usr/bin/x', type: 'file', size: 1, mode: 0o755 },
      ],
    };
    assert.deepEqual(hardlinkCheck.run(verifyContext([rpm]))['hardlink-dangling'].findings, []);
  });

  it('does not apply without hard links', async () => {
    const pkg = await readInput(await tarFile('plain.tar', await bytesOf([file('./usr/share/kpkg/a', 'a')])));
    assert.deepEqual(hardlinkCheck.run(verifyContext([pkg]))['hardlink-dangling'], {
      applicable: false,
      findings: [],
      note: 'no hard links in these packages',
    });
  });
});
