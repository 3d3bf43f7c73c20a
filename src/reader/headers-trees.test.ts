import assert from 'node:assert/strict';
import { test } from 'node:test';
import { debPackage, dirMember, fileMember, linkMember, textMember } from '../testing/members.js';
import { FileSet } from './file-set.js';
import { findHeadersTrees, inHeadersTree } from './headers-trees.js';

test("Debian's split: the flavour tree, its -common source tree and the kbuild scripts it links to", () => {
  const flavour = '/usr/src/linux-headers-6.1.0-56-arm64';
  const common = '/usr/src/linux-headers-6.1.0-56-common';
  const set = new FileSet([
    debPackage('linux-headers-6.1.0-56-arm64', [
      dirMember(flavour),
      textMember(`${flavour}/Makefile`, `include ${common}/Makefile\n`),
      textMember(`${flavour}/include/config/kernel.release`, '6.1.0-56-arm64\n'),
      textMember(`${flavour}/include/generated/utsrelease.h`, '#define UTS_RELEASE "6.1.0-56-arm64"\n'),
      textMember(`${flavour}/.config`, 'CONFIG_ARM64=y\n'),
      linkMember(`${flavour}/scripts`, '../../lib/linux-kbuild-6.1/scripts'),
      dirMember('/lib/modules/6.1.0-56-arm64'),
      linkMember('/lib/modules/6.1.0-56-arm64/build', flavour),
    ]),
    debPackage('linux-headers-6.1.0-56-common', [dirMember(common), fileMember(`${common}/Makefile`)]),
    debPackage('linux-kbuild-6.1', [
      dirMember('/usr/lib/linux-kbuild-6.1/scripts'),
      fileMember('/usr/lib/linux-kbuild-6.1/scripts/Makefile.build'),
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
      debPackage('h', [
        textMember(`${root}/include/config/auto.conf`, 'CONFIG_X86=y\n'),
        textMember(`${root}/.config`, 'CONFIG_ARM64=y\n'),
        textMember(`${root}/include/config/kernel.release`, '6.1.192\n'),
        textMember(`${root}/include/generated/utsrelease.h`, '#define UTS_RELEASE "6.1.0-kpkg"\n'),
      ]),
    ]),
  );
  assert.deepEqual(tree?.releases, ['6.1.0-kpkg', '6.1.192']);
  assert.equal(tree?.configFile, 'include/config/auto.conf');
  assert.equal(tree?.config.get('CONFIG_X86'), 'y');
});

test('a build link to a directory without a marker, or no marker at all, makes no tree', () => {
  const set = new FileSet([
    debPackage('x', [
      dirMember('/usr/src/empty'),
      fileMember('/usr/src/empty/Makefile'),
      linkMember('/lib/modules/6.1/build', '/usr/src/empty'),
    ]),
  ]);
  assert.deepEqual(findHeadersTrees(set), []);
  const symvers = findHeadersTrees(new FileSet([debPackage('y', [fileMember('/opt/k/Module.symvers')])]));
  assert.deepEqual(
    symvers.map((t) => [t.root, t.release, t.configFile]),
    [['/opt/k', undefined, undefined]],
  );
});

test('trees sharing one configuration through symlinks share one parsed map: 2,000 trees, one 1 MiB config, linear time', () => {
  const config = 'CONFIG_ARM64=y\n'.repeat(70_000);
  const members = [dirMember('/usr/src/shared'), textMember('/usr/src/shared/auto.conf', config)];
  for (let i = 0; i < 2000; i++) {
    members.push(dirMember(`/usr/src/t${i}`), dirMember(`/usr/src/t${i}/include/config`));
    members.push(linkMember(`/usr/src/t${i}/include/config/auto.conf`, '/usr/src/shared/auto.conf'));
    members.push(fileMember(`/usr/src/t${i}/Module.symvers`));
  }
  const started = performance.now();
  const trees = findHeadersTrees(new FileSet([debPackage('shared', members)]));
  assert.equal(trees.length, 2000);
  assert.equal(trees[0]?.config.get('CONFIG_ARM64'), 'y');
  assert.ok(
    trees.every((t) => t.config === trees[0]?.config),
    'one map',
  );
  assert.ok(performance.now() - started < 5000, `${performance.now() - started} ms`);
});
