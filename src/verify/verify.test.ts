import assert from 'node:assert/strict';
import { readFile, rm, symlink, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  buildTarball,
  MINI_RELEASE,
  miniHeadersRoot,
  tempDir,
  tool,
  type MiniTreeOptions,
} from '../testing/verify-packages.js';
import { assertClean, pathsOf, statusOf, TREE, verifyFiles } from '../testing/verify-report.js';
import type { ListedCheck } from './check.js';
import { CHECK_IDS, finding } from './findings.js';
import { runChecks, verifyContext, verifyPackages } from './verify.js';

// verify's checks on directories (and a one-file tarball): the mini headers tree, its programs
// compiled once per process. What needs packages made by dpkg-deb, rpmbuild and tar (every input
// format, the .deb checks, split and conflicting sets) is in verify.slow.test.ts.

const cleanup: string[] = [];
after(async () => {
  for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
});

async function root(options: MiniTreeOptions = {}): Promise<string> {
  const dir = await miniHeadersRoot(options);
  cleanup.push(dir);
  return dir;
}

describe('verify reads a directory without extracting anything', () => {
  it('a directory', async () => {
    const dir = await root();
    const report = await verifyFiles([dir]);
    assertClean(report, 'directory');
    assert.equal(report.packages[0]?.format, 'directory');
  });
});

describe('verify checks', () => {
  it('missing files fail headers-incomplete, each named', async () => {
    const dir = await root({ omit: ['scripts/basic/fixdep', 'Module.symvers', 'arch/arm64/Makefile'] });
    const report = await verifyFiles([dir], 'arm64');
    assert.deepEqual(pathsOf(report, 'headers-incomplete').sort(), [
      `${TREE}/Module.symvers`,
      `${TREE}/arch/arm64/Makefile`,
      `${TREE}/scripts/basic/fixdep`,
    ]);
  });

  it('the shipped configuration decides whether objtool, GCC plugins and resolve_btfids are needed', async () => {
    const config = [
      'CONFIG_OBJTOOL=y',
      'CONFIG_GCC_PLUGINS=y',
      'CONFIG_GCC_PLUGIN_LATENT_ENTROPY=y',
      'CONFIG_GCC_PLUGIN_STRUCTLEAK=y',
      'CONFIG_GCC_PLUGIN_STRUCTLEAK_BYREF=y',
      'CONFIG_DEBUG_INFO_BTF_MODULES=y',
    ];
    const withoutVmlinux = await verifyFiles([await root({ config })], 'arm64');
    assert.deepEqual(pathsOf(withoutVmlinux, 'headers-incomplete').sort(), [
      `${TREE}/scripts/gcc-plugins/latent_entropy_plugin.so`,
      `${TREE}/scripts/gcc-plugins/structleak_plugin.so`,
      `${TREE}/tools/objtool/objtool`,
    ]);
    assert.deepEqual(pathsOf(withoutVmlinux, 'headers-btf-skipped'), [TREE]);
    const withVmlinux = await verifyFiles(
      [
        await root({
          config: ['CONFIG_DEBUG_INFO_BTF_MODULES=y'],
          extra: { [`${TREE}/vmlinux`]: 'not really vmlinux' },
        }),
      ],
      'arm64',
    );
    assert.deepEqual(pathsOf(withVmlinux, 'headers-incomplete'), [`${TREE}/tools/bpf/resolve_btfids/resolve_btfids`]);
    const stackValidation = await verifyFiles([await root({ config: ['CONFIG_STACK_VALIDATION=y'] })], 'arm64');
    assert.deepEqual(pathsOf(stackValidation, 'headers-incomplete'), [`${TREE}/tools/objtool/objtool`]);
  });

  it('the build link must lead to the headers, in the set or where headers packages install them', async () => {
    const image = await tempDir();
    cleanup.push(image);
    await mkdir(join(image, 'lib/modules/6.1.99/kernel'), { recursive: true });
    await mkdir(join(image, 'lib/modules/6.1.98'), { recursive: true });
    await symlink('/home/builder/linux-build', join(image, 'lib/modules/6.1.99/build'));
    await symlink('/usr/src/linux-headers-6.1.98', join(image, 'lib/modules/6.1.98/build'));
    const report = await verifyFiles([image], 'arm64');
    assert.deepEqual(pathsOf(report, 'build-link'), ['/lib/modules/6.1.99/build']);
    assert.match(
      report.findings[0]?.message ?? '',
      /points to \/home\/builder\/linux-build: not in the verified packages/,
    );
    // With the headers in the set, the link must lead to them.
    const wrong = await root();
    await rm(join(wrong, `lib/modules/${MINI_RELEASE}/build`));
    await symlink('/usr/src/linux-headers-other', join(wrong, `lib/modules/${MINI_RELEASE}/build`));
    const wrongReport = await verifyFiles([wrong], 'arm64');
    assert.deepEqual(pathsOf(wrongReport, 'build-link'), [`/lib/modules/${MINI_RELEASE}/build`]);
    assert.deepEqual(pathsOf(wrongReport, 'build-link-missing'), [TREE]);
  });

  it('secrets: private keys anywhere and key files are errors, the randstruct seed a note', async () => {
    const keys = await tempDir();
    cleanup.push(keys);
    await tool('openssl', [
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-out',
      join(keys, 'key.pem'),
    ]);
    const pem = await readFile(join(keys, 'key.pem'));
    const dir = await root({
      extra: {
        [`${TREE}/certs/signing_key.pem`]: pem,
        [`${TREE}/include/hidden.h`]: Buffer.concat([Buffer.from('/* nothing to see */\n'), pem]),
        [`${TREE}/certs/module.priv`]: 'secret\n',
        [`${TREE}/scripts/basic/randstruct.seed`]: 'abcdef0123456789\n',
      },
    });
    const report = await verifyFiles([dir], 'arm64');
    assert.deepEqual(pathsOf(report, 'secret-private-key').sort(), [
      `${TREE}/certs/signing_key.pem`,
      `${TREE}/include/hidden.h`,
    ]);
    assert.deepEqual(pathsOf(report, 'secret-key-file').sort(), [
      `${TREE}/certs/module.priv`,
      `${TREE}/certs/signing_key.pem`,
    ]);
    assert.deepEqual(
      report.findings.filter((f) => f.check === 'randstruct-seed').map((f) => [f.path, f.severity]),
      [[`${TREE}/scripts/basic/randstruct.seed`, 'info']],
    );
  });

  it('build machine paths in text files are warnings; install paths of the set are not', async () => {
    const dir = await root({
      extra: {
        [`${TREE}/scripts/basic/.fixdep.cmd`]:
          'cmd_scripts/basic/fixdep := gcc -Wp,-MMD,scripts/basic/.fixdep.d -o scripts/basic/fixdep /home/alice/src/linux/scripts/basic/fixdep.c\n',
        [`${TREE}/include/generated/paths.h`]: '#define SRC "/srv/ci/linux-6.1/include/linux/kconfig.h"\n',
        [`${TREE}/Makefile.wrapper`]: `include ${TREE}/Makefile\n`,
      },
    });
    const report = await verifyFiles([dir], 'arm64');
    assert.deepEqual(pathsOf(report, 'build-host-path').sort(), [
      `${TREE}/include/generated/paths.h`,
      `${TREE}/scripts/basic/.fixdep.cmd`,
    ]);
    assert.equal(report.result, 'pass', 'warnings only');
    assert.match(
      report.findings.find((f) => f.check === 'build-host-path' && f.path?.endsWith('.cmd') === true)?.message ?? '',
      /home directory: \/home\/alice\/src\/linux\/scripts\/basic\/fixdep\.c/,
    );
  });

  it('relocatable objects in a headers tree are warned about (and checked for the machine)', async () => {
    const { CrossBuildDir, GCC_TOOLCHAINS } = await import('../testing/cross-binaries.js');
    const build = await CrossBuildDir.create();
    try {
      const object = await readFile(await build.compile(GCC_TOOLCHAINS.amd64, { kind: 'object' }));
      const report = await verifyFiles(
        [await root({ extra: { [`${TREE}/scripts/mod/modpost.o`]: object, '/lib/modules/x/kernel/m.ko': object } })],
        'arm64',
      );
      assert.deepEqual(pathsOf(report, 'elf-relocatable'), [`${TREE}/scripts/mod/modpost.o`]);
      assert.deepEqual(pathsOf(report, 'elf-machine').sort(), [
        '/lib/modules/x/kernel/m.ko',
        `${TREE}/scripts/mod/modpost.o`,
      ]);
    } finally {
      await build.remove();
    }
  });

  it('without --arch, metadata or ELF the target is unknown and the machine checks do not apply', async () => {
    const dir = await tempDir();
    cleanup.push(dir);
    await writeFile(join(dir, 'README'), 'just text\n');
    const report = await verifyFiles([await buildTarball(dir)]);
    assert.deepEqual(
      [
        report.target.from,
        report.target.arch,
        statusOf(report, 'elf-machine'),
        statusOf(report, 'headers-incomplete'),
        report.result,
      ],
      ['none', null, 'n/a', 'n/a', 'pass'],
    );
  });
});

describe('runChecks: one outcome per id, in findings.ts order, each check reporting its own ids only', () => {
  const context = verifyContext([{ input: 'x.tar', format: 'tar', name: 'x', members: [] }]);

  it('the report lists every id of findings.ts once, in its order', () => {
    assert.deepEqual(
      verifyPackages(context.packages).checks.map((c) => c.id),
      CHECK_IDS,
    );
    assert.deepEqual(
      runChecks(context).map((r) => r.id),
      CHECK_IDS,
    );
  });

  it('a check reporting a finding under an id it does not own is an internal error', () => {
    const meddler: ListedCheck = {
      title: 'a check that reports for another',
      ids: ['set-conflict'],
      run: () => ({
        'set-conflict': { applicable: true, findings: [finding('headers-incomplete', 'not mine to report')] },
      }),
    };
    assert.throws(() => runChecks(context, [meddler]), /reported a headers-incomplete finding as set-conflict/);
  });

  it('an id claimed by two checks, or left without an outcome, is an internal error', () => {
    const clean: ListedCheck = {
      title: 'clean',
      ids: ['set-conflict'],
      run: () => ({ 'set-conflict': { applicable: true, findings: [] } }),
    };
    assert.throws(() => runChecks(context, [clean, clean]), /two checks report set-conflict/);
    const silent: ListedCheck = { title: 'silent', ids: ['set-conflict'], run: () => ({}) };
    assert.throws(() => runChecks(context, [silent]), /gave no outcome for set-conflict/);
  });
});
