import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultTargetSuite, parseOsRelease, targetArchive } from './target-release.js';

const BOOKWORM = parseOsRelease(
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n',
);
const NOBLE = parseOsRelease('NAME="Ubuntu"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\n');

test('os-release: ID and VERSION_CODENAME, quotes removed', () => {
  assert.deepEqual(BOOKWORM, { id: 'debian', codename: 'bookworm' });
  assert.deepEqual(NOBLE, { id: 'ubuntu', codename: 'noble' });
  assert.deepEqual(parseOsRelease(''), { id: 'linux', codename: undefined });
});

test("the target suite is the build machine's release, or the first Debian release with the architecture", () => {
  assert.equal(defaultTargetSuite('arm64', BOOKWORM), 'bookworm');
  assert.equal(defaultTargetSuite('ppc64el', BOOKWORM), 'bookworm');
  assert.equal(defaultTargetSuite('riscv64', BOOKWORM), 'trixie');
  assert.equal(defaultTargetSuite('riscv64', { id: 'debian', codename: 'trixie' }), 'trixie');
  assert.equal(defaultTargetSuite('riscv64', { id: 'debian', codename: 'forky' }), 'forky');
  assert.equal(defaultTargetSuite('loong64', BOOKWORM), 'sid');
  assert.equal(defaultTargetSuite('riscv64', NOBLE), 'noble');
  assert.equal(defaultTargetSuite('arm64', { id: 'fedora', codename: undefined }), 'bookworm');
});

test('Ubuntu: amd64 and i386 from the main archive, other architectures from the ports archive', async () => {
  const arm64 = await targetArchive('arm64', {}, NOBLE);
  assert.equal(arm64.mirror, 'http://ports.ubuntu.com/ubuntu-ports');
  assert.deepEqual(arm64.components, ['main', 'universe']);
  assert.equal((await targetArchive('i386', {}, NOBLE)).mirror, 'http://archive.ubuntu.com/ubuntu');
});

test('--mirror and --target-suite win over the defaults', async () => {
  const a = await targetArchive('arm64', { mirror: 'http://mirror.example/debian/', suite: 'trixie' }, BOOKWORM);
  assert.equal(a.mirror, 'http://mirror.example/debian');
  assert.equal(a.suite, 'trixie');
  assert.deepEqual(a.components, ['main']);
});
