/**
 * `kpkg deb` in a packager's workflow, on the real 6.1 arm64 tiny tree:
 * - the KDEB_* variables change the packages the way they change upstream's `make bindeb-pkg`
 *   output on the same tree with the same variables (tools/upstream-debs --env);
 * - the .changes beside the packages passes lintian, dcmd lists the set, reprepro includes it into
 *   a throwaway repository, and an emulated arm64 Debian installs linux-headers from that
 *   repository with apt-get ([trusted=yes]: the repository is unsigned) and builds the sample
 *   module against it.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { ensureBinfmt } from '../../smoke/binfmt.js';
import { ensureRootfsTarball } from '../../smoke/rootfs.js';
import { putText, runOk, unpackedTestRootfs } from '../../testing/sandbox-rootfs.js';
import { sampleModuleDir } from '../../smoke/smoke.js';
import { smokeRootfsSpec } from '../../smoke/smoke-rootfs-spec.js';
import { debField } from '../../testing/deb-contents.js';
import { builtKernelTree, KERNEL_BUILD_TIMEOUT_MS, REPO_ROOT } from '../../testing/kernel-trees.js';
import { runKpkg } from '../../testing/run-kpkg.js';
import { rootfsCacheDir } from '../../testing/smoke-fixtures.js';

const MAINTAINER = 'Kpkg Test <kpkg@example.org>';
const EPOCH = '1700000000';

interface DebJson {
  release: string;
  packages: { kind: string; name: string; path: string }[];
  setFiles: string[];
}

/** A member of a .deb's data tar, as bytes. */
async function debFile(deb: string, path: string): Promise<Buffer> {
  const r = await execa('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -xOf - "$2"', 'sh', deb, `./${path}`], {
    encoding: 'buffer',
  });
  return Buffer.from(r.stdout);
}

async function arMembers(deb: string): Promise<string[]> {
  return (await execa('ar', ['t', deb])).stdout.split('\n');
}

describe(
  "kpkg deb in a packager's workflow (6.1 arm64 tiny)",
  { timeout: KERNEL_BUILD_TIMEOUT_MS + 20 * 60 * 1000 },
  () => {
    let tree = '';
    let release = '';
    let work = '';
    let variables: Record<string, string> = {};
    let ours: DebJson | undefined;

    before(
      async () => {
        tree = await builtKernelTree({ series: '6.1' });
        release = (await readFile(join(tree, 'include/config/kernel.release'), 'utf8')).trim();
        work = await mkdtemp(join(tmpdir(), 'kpkg-upload-'));
        variables = {
          KDEB_SOURCENAME: 'linux-acme',
          KDEB_CHANGELOG_DIST: 'bookworm',
          KDEB_HOOKDIR: '/etc/acme/kernel',
          KDEB_PKGVERSION: `${release}-acme3`,
          KDEB_COMPRESS: 'gzip',
        };
        const r = await runKpkg(
          ['deb', '--build-dir', tree, '--out', join(work, 'out'), '--json', '--maintainer', MAINTAINER],
          { ...variables, SOURCE_DATE_EPOCH: EPOCH },
        );
        assert.equal(r.exitCode, 0, r.stderr);
        ours = JSON.parse(r.stdout) as DebJson;
      },
      { timeout: KERNEL_BUILD_TIMEOUT_MS },
    );
    after(() => rm(work, { recursive: true, force: true }));

    test("each KDEB_* variable changes the packages as it changes make bindeb-pkg's", async () => {
      assert.ok(ours !== undefined);
      const args = Object.entries(variables).flatMap(([name, value]) => ['--env', `${name}=${value}`]);
      const r = await execa(`${REPO_ROOT}tools/upstream-debs`, [...args, '--series', '6.1', '--config', 'tiny'], {
        stderr: 'pipe',
      });
      const upstreamDir = r.stdout.trim().split('\n').pop() ?? '';
      const { stdout } = await execa('sh', ['-c', 'ls -1 *.deb'], { cwd: upstreamDir });
      const upstream = new Map<string, string>();
      for (const file of stdout.split('\n').filter((f) => f !== ''))
        upstream.set(await debField(join(upstreamDir, file), 'Package'), join(upstreamDir, file));

      for (const pkg of ours.packages) {
        const theirs = upstream.get(pkg.name);
        assert.ok(theirs !== undefined, `upstream wrote no ${pkg.name}: ${[...upstream.keys()].join(', ')}`);
        // KDEB_SOURCENAME and KDEB_PKGVERSION: the control fields.
        for (const field of ['Source', 'Version', 'Architecture'])
          assert.equal(await debField(pkg.path, field), await debField(theirs, field), `${pkg.name} ${field}`);
        assert.equal(await debField(pkg.path, 'Source'), 'linux-acme');
        assert.equal(await debField(pkg.path, 'Version'), `${release}-acme3`);
        // KDEB_COMPRESS: the data member.
        assert.deepEqual(
          (await arMembers(pkg.path)).filter((m) => m.startsWith('data.tar')),
          ['data.tar.gz'],
        );
        assert.deepEqual(
          (await arMembers(theirs)).filter((m) => m.startsWith('data.tar')),
          ['data.tar.gz'],
        );
        // KDEB_SOURCENAME, KDEB_PKGVERSION, KDEB_CHANGELOG_DIST: the changelog's first line.
        const firstLine = async (deb: string): Promise<string> =>
          gunzipSync(await debFile(deb, `usr/share/doc/${pkg.name}/changelog.Debian.gz`))
            .toString()
            .split('\n')[0] ?? '';
        assert.equal(await firstLine(pkg.path), await firstLine(theirs), `${pkg.name} changelog`);
        assert.equal(await firstLine(pkg.path), `linux-acme (${release}-acme3) bookworm; urgency=low`);
      }

      // KDEB_HOOKDIR: the hook directories and what linux-image's maintainer scripts run.
      const image = ours.packages.find((p) => p.kind === 'image')?.path ?? '';
      const theirImage = upstream.get(`linux-image-${release}`) ?? '';
      const listing = async (deb: string): Promise<string> => (await execa('dpkg-deb', ['--contents', deb])).stdout;
      for (const deb of [image, theirImage]) {
        for (const script of ['preinst', 'postinst', 'prerm', 'postrm']) {
          assert.match(
            await listing(deb),
            new RegExp(` \\./etc/acme/kernel/${script}\\.d/\n`),
            `${basename(deb)}: ${script}.d`,
          );
          const text = (await execa('dpkg-deb', ['--info', deb, script])).stdout;
          assert.match(text, new RegExp(`run-parts .*/etc/acme/kernel/${script}\\.d`), `${basename(deb)} ${script}`);
          assert.doesNotMatch(text, /\/etc\/kernel\//);
        }
      }
      // And where linux-headers' postinst looks for header_postinst.d (upstream's headers have no scripts).
      const headers = ours.packages.find((p) => p.kind === 'headers')?.path ?? '';
      const postinst = (await execa('dpkg-deb', ['--info', headers, 'postinst'])).stdout;
      assert.match(postinst, /run-parts .*\/etc\/acme\/kernel\/header_postinst\.d$/m);
      assert.doesNotMatch(postinst, /\/etc\/kernel\//);
    });

    test('the .changes passes lintian and dcmd, reprepro includes the set, and the emulated arm64 target apt-get installs the headers and builds a module', async () => {
      assert.ok(ours !== undefined);
      const changes = ours.setFiles.find((f) => f.endsWith('.changes')) ?? '';
      assert.equal(basename(changes), `linux-acme_${release}-acme3_arm64.changes`);
      assert.deepEqual(ours.setFiles.map((f) => basename(f)).sort(), [
        `linux-acme_${release}-acme3_arm64.buildinfo`,
        basename(changes),
      ]);

      // dcmd: the files the .changes names, the .changes itself included.
      const listed = (await execa('dcmd', [changes])).stdout
        .split('\n')
        .map((f) => basename(f))
        .sort();
      assert.deepEqual(
        listed,
        [...ours.packages.map((p) => basename(p.path)), ...ours.setFiles.map((f) => basename(f))].sort(),
      );

      // lintian on the upload: its packages and the .changes, no error.
      const lint = await execa('lintian', ['--tag-display-limit', '0', '-E', '--pedantic', changes], {
        reject: false,
        all: true,
      });
      assert.ok(
        lint.exitCode === 0 || lint.exitCode === 1 || lint.exitCode === 2,
        `lintian failed to run:\n${lint.all ?? ''}`,
      );
      assert.deepEqual(
        (lint.all ?? '').split('\n').filter((l) => l.startsWith('E:')),
        [],
      );

      // reprepro: a throwaway repository for the distribution the .changes names.
      const repo = join(work, 'repo');
      await mkdir(join(repo, 'conf'), { recursive: true });
      await writeFile(join(repo, 'conf/distributions'), 'Codename: bookworm\nArchitectures: arm64\nComponents: main\n');
      const included = await execa('reprepro', ['-b', repo, 'include', 'bookworm', changes], {
        reject: false,
        all: true,
      });
      assert.equal(included.exitCode, 0, included.all);

      // apt-get install from that repository alone, inside the emulated target.
      await ensureBinfmt('arm64');
      const headers = ours.packages.find((p) => p.kind === 'headers')?.path ?? '';
      const tarball = await ensureRootfsTarball(
        await smokeRootfsSpec({ debianArch: 'arm64', packages: [headers], cacheDir: rootfsCacheDir() }),
      );
      const { rootfs, target } = await unpackedTestRootfs(tarball.path);
      try {
        assert.equal((await target.put({ contentsOf: repo }, '/srv/kpkg-repo')).exitCode, 0);
        await putText(target, '/srv/kpkg.list', 'deb [trusted=yes] file:/srv/kpkg-repo bookworm main\n');
        assert.equal((await target.put({ contentsOf: sampleModuleDir() }, '/tmp/kpkg-sample')).exitCode, 0);
        const apt = [
          '-o',
          'Dir::Etc::SourceList=/srv/kpkg.list',
          '-o',
          'Dir::Etc::SourceParts=/nonexistent',
          '-o',
          'APT::Sandbox::User=root',
        ];
        const inRoot = (argv: string[]): Promise<string> => runOk(target, argv);
        await inRoot(['apt-get', ...apt, 'update']);
        await inRoot(['apt-get', ...apt, 'install', '-y', '--no-install-recommends', `linux-headers-${release}`]);
        assert.match(
          await inRoot(['dpkg-query', '-W', '-f', '${Version} ${Status}', `linux-headers-${release}`]),
          new RegExp(`^${release.replaceAll('.', '\\.')}-acme3 install ok installed`),
        );
        await inRoot(['make', '-C', `/lib/modules/${release}/build`, 'M=/tmp/kpkg-sample', 'modules']);
        assert.match(
          await inRoot(['modinfo', '-F', 'vermagic', '/tmp/kpkg-sample/kpkg_hello.ko']),
          new RegExp(`^${release.replaceAll('.', '\\.')} `),
        );
      } finally {
        await rootfs.remove();
      }
    });

    test("--format markdown of deb, verify and smoke; smoke --module-dir builds the user's module", async () => {
      assert.ok(ours !== undefined);
      // The same run again (from the build cache), reported as a CI step summary.
      const deb = await runKpkg(
        ['deb', '--build-dir', tree, '--out', join(work, 'out'), '--format', 'markdown', '--maintainer', MAINTAINER],
        { ...variables, SOURCE_DATE_EPOCH: EPOCH },
      );
      assert.equal(deb.exitCode, 0, deb.stderr);
      assert.match(
        deb.stdout,
        new RegExp(`^### kpkg deb: 3 packages for ${release.replaceAll('.', '\\.')} \\(arm64\\)\n`),
      );
      assert.match(deb.stdout, /\n\| `scripts\/basic\/fixdep` \| x86-64/);
      assert.match(
        deb.stdout,
        new RegExp(
          `Beside them: \`linux-acme_${release.replaceAll('.', '\\.')}-acme3_arm64\\.buildinfo\`, \`linux-acme_`,
        ),
      );

      const paths = ours.packages.map((p) => p.path);
      const verify = await runKpkg(['verify', ...paths, '--format', 'markdown']);
      assert.equal(verify.exitCode, 0, verify.stdout);
      assert.match(verify.stdout, /^### kpkg verify: ✅ PASS — 0 errors/);
      assert.match(verify.stdout, /\n\| `elf-machine` \| ✅ ok \| 0 \|/);

      // A module of the user's own, with a name of its own.
      const moduleDir = join(work, 'my-module');
      await mkdir(moduleDir);
      await writeFile(join(moduleDir, 'Kbuild'), 'obj-m := my_board_fix.o\n');
      await writeFile(
        join(moduleDir, 'my_board_fix.c'),
        '// SPDX-License-Identifier: GPL-2.0-only\n#include <linux/module.h>\nstatic int __init fix_init(void) { return 0; }\nmodule_init(fix_init);\nMODULE_LICENSE("GPL");\n',
      );
      const headers = ours.packages.find((p) => p.kind === 'headers')?.path ?? '';
      const smoke = await runKpkg([
        'smoke',
        headers,
        '--module-dir',
        moduleDir,
        '--format',
        'markdown',
        '--artifacts',
        join(work, 'artifacts'),
      ]);
      assert.equal(smoke.exitCode, 0, `${smoke.stdout}\n${smoke.stderr}`);
      assert.match(smoke.stdout, /^### kpkg smoke: ✅ passed\n/);
      assert.match(smoke.stdout, new RegExp(`\\| \`${release.replaceAll('.', '\\.')} SMP[^\`]*\` \\|`));
      assert.deepEqual(
        (await readdir(join(work, 'artifacts'))).filter((f) => f.endsWith('.ko')),
        ['my_board_fix.ko'],
      );
    });
  },
);
