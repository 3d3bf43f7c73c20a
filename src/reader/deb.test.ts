import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { debPackager } from '../formats/deb/packager.js';
import { tinyPackage } from '../testing/family-packages.js';
import { bytesOf, file, writeDebAround } from '../testing/malformed-inputs.js';
import { parseControl, parseMd5sums, readDeb } from './deb.js';

const dir = await mkdtemp(join(tmpdir(), 'kpkg-reader-deb-'));
after(() => rm(dir, { recursive: true, force: true }));

test("control fields with continuation lines; md5sums in both of md5sum's forms, bad lines kept aside", () => {
  const control = parseControl('Package: a\nDescription: one\n two\n .\n three\n');
  assert.equal(control.get('Package'), 'a');
  assert.equal(control.get('Description'), 'one\ntwo\n.\nthree');
  const md5 = 'D41D8CD98F00B204E9800998ECF8427E';
  const { sums, malformed } = parseMd5sums(`${md5}  usr/a\n${md5.toLowerCase()} *./usr/b c\nnot a line\n\n`, 'x.deb');
  assert.deepEqual(
    [...sums],
    [
      ['/usr/a', md5.toLowerCase()],
      ['/usr/b c', md5.toLowerCase()],
    ],
  );
  assert.deepEqual(malformed, ['not a line']);
});

test('a .deb kpkg wrote: its control fields, relations, md5sums and files', async () => {
  const pkg = {
    ...tinyPackage(),
    version: '1:6.1-2',
    depends: [[{ name: 'gcc' }, { name: 'clang' }], { name: 'make', version: { op: '>=' as const, version: '4' } }],
    preDepends: [{ name: 'dpkg' }],
  };
  const path = join(dir, 'a.deb');
  await debPackager.write(pkg, path, { compression: 'xz' });
  const read = await readDeb(path);
  assert.equal(read.name, 'kpkg-family-test');
  assert.equal(read.version, '1:6.1-2');
  assert.equal(read.arch, 'arm64');
  assert.equal(read.archSource, 'control field Architecture');
  assert.deepEqual(read.requires, [['dpkg'], ['gcc', 'clang'], ['make']]);
  assert.equal(read.deb?.formatVersion, '2.0');
  assert.match(read.deb?.dataMember ?? '', /^data\.tar\.xz$/);
  const header = read.members.find((m) => m.path === '/usr/src/kpkg-family-test/a.h');
  const expected = createHash('md5').update('#define KPKG_FAMILY_TEST 1\n').digest('hex');
  assert.equal(header?.md5, expected);
  assert.equal(read.deb?.md5sums?.get('/usr/src/kpkg-family-test/a.h'), expected);
});

test('an ar file that is no .deb is refused with exit status 2, saying what is wrong', async () => {
  const path = await writeDebAround(join(dir, 'lz4.deb'), await bytesOf([file('./a', 'a')]), 'data.tar.lz4');
  await assert.rejects(readDeb(path), {
    message: `${path}: unknown compression of the data member 'data.tar.lz4'`,
    exitCode: 2,
  });
  const noData = await writeDebAround(join(dir, 'odd.deb'), Buffer.alloc(0), 'payload');
  await assert.rejects(readDeb(noData), /unexpected ar member 'payload'/);
});
