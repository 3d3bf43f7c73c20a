import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FileSet } from './file-set.js';
import { findHeadersTrees, inHeadersTree } from './headers-trees.js';
import type { Member, ReadPackage } from './model.js';

const dir = (path: string): Member => ({ path, type: 'dir', size: 0, mode: 0o755 });
const text = (path: string, content: string): Member => ({
  path,
  type: 'file',
  size: content.length,
  mode: 0o644,
  text: content,
});
const file = (path: string): Member => ({ path, type: 'file', size: 1, mode: 0o644 });
const link = (path: string, target: string): Member => ({ path, type: 'symlink', size: 0, mode: 0o777, link: target });
const pkg = (name: string, members: Member[]): ReadPackage => ({ input: `${name}.deb`, format: 'deb', name, members });

test("Debian's split: the flavour tree, its -common source tree and the kbuild scripts it links to", () => {
  const flavour = '/usr/src/linux-headers-6.1.0-56-arm64';
  const common = '/usr/src/linux-headers-6.1.0-56-common';
  const set = new FileSet([
    pkg('linux-headers-6.1.0-56-arm64', [
      dir(flavour),
      text(`${flavour}/Makefile`, `include ${common}/Makefile\n`),
      text(`${flavour}/include/config/kernel.release`, '6.1.0-56-arm64\n'),
      text(`${flavour}/include/generated/utsrelease.h`, '#define UTS_RELEASE "6.1.0-56-arm64"\n'),
      text(`${flavour}/.config`, 'CONFIG_ARM64=y\n'),
      link(`${flavour}/scripts`, '../../lib/linux-kbuild-6.1/scripts'),
      dir('/lib/modules/6.1.0-56-arm64'),
      link('/lib/modules/6.1.0-56-arm64/build', flavour),
    ]),
    pkg('linux-headers-6.1.0-56-common', [dir(common), file(`${common}/Makefile`)]),
    pkg('linux-kbuild-6.1', [
      dir('/usr/lib/linux-kbuild-6.1/scripts'),
      file('/usr/lib/linux-kbuild-6.1/scripts/Makefile.build'),
    ]),
  ]);
  const [tree, ...others] = findHeadersTrees(set);
  assert.deepEqual(others, []);
  assert.ok(tree !== undefined);
  assert.equal(tree.root, flavour);
  assert.equal(tree.release, '6.1.0-56-arm64');
  assert.deepEqual(tree.releases, ['6.1.0-56-arm64']);
  assert.equal(tree.sourceDir, common);
  assert.equal(tree.package, 'linux-headers-6.1.0-56-arm64');
  assert.equal(tree.configFile, '.config');
  assert.equal(tree.config.get('CONFIG_ARM64'), 'y');
  assert.deepEqual(tree.areas, [flavour, common, '/usr/lib/linux-kbuild-6.1/scripts']);
  assert.equal(inHeadersTree('/usr/lib/linux-kbuild-6.1/scripts/mod/x.o', [tree]), true);
  assert.equal(inHeadersTree('/usr/lib/other/x.o', [tree]), false);
});

test("upstream's release names: UTS_RELEASE first, kernel.release too when it differs; auto.conf before .config", () => {
  const root = '/usr/src/linux-headers-6.1.192';
  const [tree] = findHeadersTrees(
    new FileSet([
      pkg('h', [
        text(`${root}/include/config/auto.conf`, 'CONFIG_X86=y\n'),
        text(`${root}/.config`, 'CONFIG_ARM64=y\n'),
        text(`${root}/include/config/kernel.release`, '6.1.192\n'),
        text(`${root}/include/generated/utsrelease.h`, '#define UTS_RELEASE "6.1.0-kpkg"\n'),
      ]),
    ]),
  );
  assert.deepEqual(tree?.releases, ['6.1.0-kpkg', '6.1.192']);
  assert.equal(tree?.configFile, 'include/config/auto.conf');
  assert.equal(tree?.config.get('CONFIG_X86'), 'y');
});

test('a build link to a directory without a marker, or no marker at all, makes no tree', () => {
  const set = new FileSet([
    pkg('x', [
      dir('/usr/src/empty'),
      file('/usr/src/empty/Makefile'),
      link('/lib/modules/6.1/build', '/usr/src/empty'),
    ]),
  ]);
  assert.deepEqual(findHeadersTrees(set), []);
  const symvers = findHeadersTrees(new FileSet([pkg('y', [file('/opt/k/Module.symvers')])]));
  assert.deepEqual(
    symvers.map((t) => [t.root, t.release, t.configFile]),
    [['/opt/k', undefined, undefined]],
  );
});
