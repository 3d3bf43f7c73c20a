import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FileSet } from '../../reader/file-set.js';
import type { HeadersTree } from '../../reader/headers-trees.js';
import type { Member } from '../../reader/model.js';
import { dirMember, linkMember } from '../../testing/members.js';
import { checkBuildLinks } from './build-link.js';

const R = '6.1.0';
const H = `/usr/src/linux-headers-${R}`;
const BUILD = `/lib/modules/${R}/build`;
const tree: HeadersTree = { root: H, release: R, releases: [R], package: 'headers', config: new Map(), areas: [H] };

function check(members: Member[], trees: HeadersTree[]): ReturnType<typeof checkBuildLinks> {
  return checkBuildLinks(new FileSet([{ input: 'x.deb', format: 'deb', name: 'x', members }]), trees);
}

const messages = (outcome: { findings: readonly { message: string }[] }): string[] =>
  outcome.findings.map((f) => f.message);

test("a build link to the set's headers tree passes, relative or absolute", () => {
  for (const target of [H, `../../../usr/src/linux-headers-${R}`]) {
    const result = check([dirMember(H), linkMember(BUILD, target)], [tree]);
    assert.deepEqual(result['build-link'].findings, [], target);
    assert.equal(result['build-link'].note, '1 build link');
    assert.deepEqual(result['build-link-missing'].findings, [], target);
  }
});

test("a link to the build machine's tree is wrong, whether or not the set has the headers", () => {
  const withTree = check([dirMember(H), linkMember(BUILD, '/home/me/linux/obj')], [tree]);
  assert.deepEqual(messages(withTree['build-link']), [
    `points to /home/me/linux/obj, which none of the verified packages installs; the headers tree of this set is ${H}`,
  ]);
  assert.deepEqual(messages(withTree['build-link-missing']), [
    `no /lib/modules/${R}/build link in the verified packages leads to ${H}: \`make -C /lib/modules/$(uname -r)/build\` finds it only if another package ships the link`,
  ]);
  const imageOnly = check([linkMember(BUILD, '/home/me/linux/obj')], []);
  assert.match(
    messages(imageOnly['build-link'])[0] ?? '',
    /not where a headers package installs \(\/usr\/src\/linux-headers-6\.1\.0\)/,
  );
  assert.deepEqual(
    check([linkMember(BUILD, `/usr/src/kernels/${R}`)], [])['build-link'].findings,
    [],
    'where kernel-devel installs',
  );
});

test('a link to the headers of another release, or to a directory without a tree, is named', () => {
  const other = { ...tree, release: '6.2.0', releases: ['6.2.0'] };
  assert.deepEqual(messages(check([dirMember(H), linkMember(BUILD, H)], [other])['build-link']), [
    `points to the headers of 6.2.0 (${H}), but is the build link of ${R}`,
  ]);
  assert.match(
    messages(check([dirMember('/usr/src/empty'), linkMember(BUILD, '/usr/src/empty')], [])['build-link'])[0] ?? '',
    /^points to \/usr\/src\/empty, a directory with no headers tree in it/,
  );
  assert.deepEqual(messages(check([{ path: BUILD, type: 'file', size: 1, mode: 0o644 }], [])['build-link']), [
    'is a file, not a symlink to the headers tree or the tree itself',
  ]);
});

test("Arch Linux's build directory is the tree itself", () => {
  const arch = { ...tree, root: `/usr/lib/modules/${R}/build`, areas: [`/usr/lib/modules/${R}/build`] };
  const result = check([dirMember(`/usr/lib/modules/${R}/build`)], [arch]);
  assert.deepEqual(result['build-link'].findings, []);
  assert.deepEqual(result['build-link-missing'].findings, []);
  assert.equal(check([], [])['build-link'].applicable, false);
});
