/**
 * kpkg rpm, kpkg pacman and kpkg tar on real cross-built arm64 trees, refereed by the real tools:
 * rpm -K / -qpl / rpm2cpio | cpio, pacman -Qip / -Qlp / -U, tar, kpkg verify, and upstream's own
 * `make binrpm-pkg` on the same tree (which writes no kernel-devel for a cross build).
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { execa } from 'execa';
import {
  builtKernelTree,
  FULL_MATRIX,
  inTier,
  KERNEL_BUILD_TIMEOUT_MS,
  REPO_ROOT,
  type TreeSpec,
} from '../../testing/kernel-trees.js';
import { neededSonames } from '../../testing/deb-contents.js';
import { runKpkg } from '../../testing/run-kpkg.js';
import type { VerifyReport } from '../../verify/verify.js';

interface WrittenJson {
  release: string;
  arch: string;
  format: string;
  packages: { kind: string; name: string; version: string; path: string; sha256: string }[];
  elfCount: number;
  rebuilt: { path: string }[];
}

type Format = 'rpm' | 'pacman' | 'tar';
const FORMATS: readonly Format[] = ['rpm', 'pacman', 'tar'];
const C = { env: { LC_ALL: 'C', TZ: 'UTC' } };

async function write(format: Format, objtree: string): Promise<WrittenJson> {
  const out = await mkdtemp(join(tmpdir(), `kpkg-${format}-`));
  const r = await runKpkg([
    format,
    '--build-dir',
    objtree,
    '--out',
    out,
    '--json',
    '--source-date-epoch',
    '1700000000',
  ]);
  assert.equal(r.exitCode, 0, r.stderr);
  return JSON.parse(r.stdout) as WrittenJson;
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');
const sorted = (text: string): string[] => lines(text).sort();

/** rpm -qp --<what>, one relation a line, duplicates removed (rpm lists /bin/sh once per scriptlet). */
async function rpmRelations(file: string, what: 'provides' | 'requires' | 'obsoletes'): Promise<string[]> {
  return [...new Set(sorted((await execa('rpm', ['-qp', `--${what}`, file], C)).stdout))];
}

/**
 * Every format on the 6.1 tiny tree; on the 6.12 full tree (GCC plugins, BTF, signing) RPM in the CI
 * tier — the family upstream leaves without a devel package — and every format with --all (each run
 * there rebuilds resolve_btfids and the plugins: a cold CI run stays well under its limit).
 */
const CASES: readonly { spec: TreeSpec; formats: readonly Format[] }[] = [
  { spec: { series: '6.1', config: 'tiny' }, formats: FORMATS },
  { spec: { series: '6.12', config: 'full' }, formats: FULL_MATRIX ? FORMATS : ['rpm'] },
];

for (const { spec, formats } of CASES.filter((c) => inTier(c.spec))) {
  describe(
    `kpkg ${formats.join(', ')} on the real ${spec.series} arm64 ${spec.config ?? 'tiny'} tree`,
    { timeout: KERNEL_BUILD_TIMEOUT_MS },
    () => {
      const runs = new Map<Format, Promise<[WrittenJson, WrittenJson]>>();
      /** Each format written twice into fresh directories (the second run checks reproducibility). */
      const written = (format: Format): Promise<[WrittenJson, WrittenJson]> => {
        let run = runs.get(format);
        if (run === undefined) {
          run = builtKernelTree(spec).then(async (tree) => [await write(format, tree), await write(format, tree)]);
          runs.set(format, run);
        }
        return run;
      };
      const files = async (format: Format): Promise<Map<string, string>> =>
        new Map((await written(format))[0].packages.map((p) => [p.kind, p.path]));

      test('rpm: kernel, kernel-devel, kernel-headers (and kernel-debuginfo with CONFIG_DEBUG_INFO); rpm -K reports header and payload SHA-256 OK', async () => {
        const [json] = await written('rpm');
        assert.deepEqual(
          json.packages.map((p) => p.name),
          spec.config === 'full'
            ? ['kernel', 'kernel-devel', 'kernel-headers', 'kernel-debuginfo']
            : ['kernel', 'kernel-devel', 'kernel-headers'],
        );
        assert.ok(json.rebuilt.length >= 4, 'the host programs of kernel-devel are rebuilt for arm64');
        for (const p of json.packages) {
          assert.match(p.path, new RegExp(`/${p.name}-${json.release.replaceAll('.', '\\.')}-\\d+\\.aarch64\\.rpm$`));
          const out = (await execa('rpm', ['-Kv', '--nosignature', p.path], C)).stdout;
          assert.match(out, /Header SHA256 digest: OK/, out);
          assert.match(out, /Payload SHA256 digest: OK/, out);
          assert.doesNotMatch(out, /BAD|NOT OK/, out);
        }
      });

      test('rpm: rpm -qpl lists what rpm2cpio | cpio -t lists, plus the %ghost files', async () => {
        for (const p of (await written('rpm'))[0].packages) {
          const listed = sorted((await execa('rpm', ['-qpl', p.path], C)).stdout);
          const ghosts = lines(
            (await execa('rpm', ['-qp', '--qf', '[%{FILENAMES} %{FILEFLAGS:fflags}\\n]', p.path], C)).stdout,
          )
            .filter((l) => / g$/.test(l) || / [a-z]*g[a-z]*$/.test(l))
            .map((l) => l.slice(0, l.lastIndexOf(' ')));
          const archive = (await execa('sh', ['-c', 'rpm2cpio "$1" | cpio -t --quiet', 'sh', p.path], C)).stdout;
          const payload = lines(archive).map((n) => n.replace(/^\./, ''));
          assert.deepEqual(listed, [...payload, ...ghosts].sort(), p.name);
          if (p.kind === 'kernel')
            assert.ok(
              ghosts.includes(`/boot/vmlinuz-${(await written('rpm'))[0].release}`),
              'the /boot copy is a %ghost',
            );
        }
      });

      test("rpm: Provides, Requires and Obsoletes as kernel.spec declares them; the tree's layout as kernel.spec installs it", async () => {
        const [json] = await written('rpm');
        const { release } = json;
        const version = release.replace(/-/g, '_');
        const rpms = await files('rpm');
        const kernel = rpms.get('kernel') ?? '';
        const devel = rpms.get('devel') ?? '';
        const headers = rpms.get('headers') ?? '';
        const evr = (await execa('rpm', ['-qp', '--qf', '%{VERSION}-%{RELEASE}', kernel], C)).stdout;
        assert.match(evr, new RegExp(`^${version.replaceAll('.', '\\.')}-\\d+$`));
        const rpmlib = [
          'rpmlib(CompressedFileNames) <= 3.0.4-1',
          'rpmlib(FileDigests) <= 4.6.0-1',
          'rpmlib(PayloadFilesHavePrefix) <= 4.0-1',
          'rpmlib(PayloadIsXz) <= 5.2-1',
        ];
        assert.deepEqual(await rpmRelations(kernel, 'provides'), [
          `kernel = ${evr}`,
          `kernel(aarch-64) = ${evr}`,
          `kernel-${release}`,
        ]);
        assert.deepEqual(await rpmRelations(kernel, 'requires'), ['/bin/sh', ...rpmlib]);
        // AutoReqProv: no — nothing but what rpm itself adds.
        assert.deepEqual(await rpmRelations(devel, 'provides'), [
          `kernel-devel = ${evr}`,
          `kernel-devel(aarch-64) = ${evr}`,
        ]);
        // kernel-devel requires what its programs need, as rpm's elfdeps names it: soname()(64bit) for
        // every DT_NEEDED (readelf -d), soname(VERSION)(64bit) for the version nodes used; and the
        // kernel's compiler by its plain name (gcc), which modules are built with.
        const develTree = await mkdtemp(join(tmpdir(), 'kpkg-devel-'));
        await execa('sh', ['-c', `rpm2cpio "${devel}" | cpio -idm --quiet`], { cwd: develTree });
        const needed = await neededSonames(develTree);
        const develRequires = (await rpmRelations(devel, 'requires')).filter((r) => !r.startsWith('rpmlib('));
        assert.ok(develRequires.includes('gcc'), develRequires.join(', '));
        const soRequires = develRequires.filter((r) => r !== 'gcc');
        assert.deepEqual(
          new Set(soRequires.filter((r) => r.endsWith('()(64bit)'))),
          new Set([...needed].map((so) => `${so}()(64bit)`)),
        );
        for (const r of soRequires)
          assert.ok(needed.has(r.replace(/\(.*$/, '')) && /^\S+\((\w+[\w.]*)?\)\(64bit\)$/.test(r), r);
        assert.ok(soRequires.includes('libc.so.6(GLIBC_2.34)(64bit)'), soRequires.join(', '));
        assert.deepEqual(
          (await rpmRelations(devel, 'requires')).filter((r) => r.startsWith('rpmlib(')),
          rpmlib,
        );
        assert.deepEqual(await rpmRelations(headers, 'provides'), [
          `kernel-headers = ${version}`,
          `kernel-headers = ${evr}`,
          `kernel-headers(aarch-64) = ${evr}`,
        ]);
        assert.deepEqual(await rpmRelations(headers, 'obsoletes'), [`kernel-headers < ${version}`]);
        const kernelFiles = new Set(lines((await execa('rpm', ['-qpl', kernel], C)).stdout));
        for (const f of [
          `/lib/modules/${release}/vmlinuz`,
          `/lib/modules/${release}/System.map`,
          `/lib/modules/${release}/config`,
          `/lib/modules/${release}/modules.order`,
          `/boot/config-${release}`,
        ]) {
          assert.ok(kernelFiles.has(f), `${f} in kernel`);
        }
        assert.ok(!kernelFiles.has(`/lib/modules/${release}/build`), 'the build link belongs to kernel-devel');
        const develFiles = lines(
          (await execa('rpm', ['-qp', '--qf', '[%{FILENAMES} -> %{FILELINKTOS}\\n]', devel], C)).stdout,
        );
        assert.ok(develFiles.includes(`/lib/modules/${release}/build -> /usr/src/kernels/${release}`));
        assert.ok(develFiles.includes(`/usr/src/kernels/${release}/scripts/mod/modpost -> `));
        const scripts = (await execa('rpm', ['-qp', '--scripts', kernel], C)).stdout;
        assert.match(scripts, /postinstall scriptlet \(using \/bin\/sh\):[\s\S]*kernel-install add/);
        assert.match(scripts, /preuninstall scriptlet \(using \/bin\/sh\):[\s\S]*kernel-install remove/);
      });

      test("upstream's make binrpm-pkg on the same cross tree writes no kernel-devel; kpkg's kernel and kernel-headers declare the same relations", async () => {
        const r = await execa(
          `${REPO_ROOT}tools/upstream-debs`,
          ['--rpm', '--series', spec.series, '--config', spec.config ?? 'tiny'],
          { stderr: 'pipe' },
        );
        const dir = r.stdout.trim().split('\n').pop() ?? '';
        const upstream = (await readdir(dir)).filter((f) => f.endsWith('.rpm'));
        const names = await Promise.all(
          upstream.map(async (f) => (await execa('rpm', ['-qp', '--qf', '%{NAME}', join(dir, f)], C)).stdout),
        );
        assert.ok(names.includes('kernel') && names.includes('kernel-headers'), names.join(', '));
        assert.ok(!names.includes('kernel-devel'), 'upstream binrpm-pkg drops kernel-devel when cross-compiling');
        const ours = await files('rpm');
        // Payload compression differs with rpmbuild's macros; since 6.8 upstream bumps the build number
        // (scripts/build-version) where kpkg packages the tree as built, so the Release may differ.
        const comparable = (list: string[]): string[] =>
          list
            .filter((l) => !l.startsWith('rpmlib(Payload'))
            .map((l) => l.replace(/^(\S+ = [^-\s]+)-\d+$/, '$1-<release>'));
        for (const [kind, name] of [
          ['kernel', 'kernel'],
          ['headers', 'kernel-headers'],
        ] as const) {
          const theirs = join(dir, upstream[names.indexOf(name)] ?? '');
          const mine = ours.get(kind) ?? '';
          assert.deepEqual(
            comparable(await rpmRelations(mine, 'provides')),
            comparable(await rpmRelations(theirs, 'provides')),
            `${name} provides`,
          );
          assert.deepEqual(
            comparable(await rpmRelations(mine, 'requires')),
            comparable(await rpmRelations(theirs, 'requires')),
            `${name} requires`,
          );
        }
      });

      if (formats.includes('pacman'))
        test('pacman: pacman -Qip and -Qlp accept every package; pacman -U --root installs each with no warning', async () => {
          const [json] = await written('pacman');
          const { release } = json;
          assert.deepEqual(
            json.packages.map((p) => p.name),
            spec.config === 'full'
              ? ['linux-upstream', 'linux-upstream-headers', 'linux-upstream-api-headers', 'linux-upstream-debug']
              : ['linux-upstream', 'linux-upstream-headers', 'linux-upstream-api-headers'],
          );
          const root = await mkdtemp(join(tmpdir(), 'kpkg-pacman-root-'));
          try {
            for (const p of json.packages) {
              const info = (await execa('pacman', ['-Qip', p.path], C)).stdout;
              assert.match(info, new RegExp(`^Name\\s+: ${p.name}$`, 'm'));
              assert.match(info, /^Architecture\s+: aarch64$/m);
              // The headers' programs need glibc (and, with plugins, gcc-libs); the other packages nothing.
              if (p.name === 'linux-upstream-headers') assert.match(info, /^Depends On\s+: (\S+\s+)*glibc(\s|$)/m);
              const listed = lines((await execa('pacman', ['-Qlp', p.path], C)).stdout);
              assert.ok(listed.length > 1 && listed.every((l) => l.startsWith(`${p.name} /`)), p.name);
              const db = join(root, 'var/lib/pacman');
              await mkdir(db, { recursive: true });
              await mkdir(join(root, 'cache'), { recursive: true });
              const r = await execa(
                'pacman',
                // --arch: this machine is x86-64, the packages aarch64.
                [
                  '-U',
                  '--noconfirm',
                  '--nodeps',
                  '--nodeps',
                  '--arch',
                  'aarch64',
                  '--root',
                  root,
                  '--dbpath',
                  db,
                  '--cachedir',
                  join(root, 'cache'),
                  '--logfile',
                  join(root, 'pacman.log'),
                  '--gpgdir',
                  join(root, 'gnupg'),
                  '--noscriptlet',
                  p.path,
                ],
                { ...C, all: true, reject: false },
              );
              assert.equal(r.exitCode, 0, r.all);
              assert.doesNotMatch(r.all ?? '', /skipping extraction|warning:|error:/i, r.all);
            }
            const check = await execa('pacman', ['-Qkk', '--root', root, '--dbpath', join(root, 'var/lib/pacman')], {
              ...C,
              all: true,
              reject: false,
            });
            const summaries = lines(check.all ?? '').filter((l) => / total files, /.test(l));
            assert.equal(summaries.length, json.packages.length, check.all);
            assert.ok(
              summaries.every((l) => / 0 altered files$/.test(l)),
              check.all,
            );
            const { stdout } = await execa('file', [
              '-L',
              join(root, `usr/lib/modules/${release}/build/scripts/mod/modpost`),
            ]);
            assert.match(stdout, /ARM aarch64/, 'the installed headers carry arm64 host programs');
            const link = await execa('readlink', [join(root, 'usr/src/linux-upstream')]);
            assert.equal(link.stdout, `../lib/modules/${release}/build`);
          } finally {
            await rm(root, { recursive: true, force: true });
          }
        });

      if (formats.includes('tar'))
        test("tar: make tar-pkg's layout plus the headers tree at lib/modules/<release>/build", async () => {
          const [json] = await written('tar');
          const { release } = json;
          const p = json.packages[0];
          assert.ok(p !== undefined && json.packages.length === 1);
          assert.match(p.path, new RegExp(`/linux-${release.replaceAll('.', '\\.')}-arm64\\.tar\\.gz$`));
          const members = lines((await execa('tar', ['-tzf', p.path])).stdout);
          for (const m of [
            'boot/',
            `boot/vmlinuz-${release}`,
            `boot/System.map-${release}`,
            `boot/config-${release}`,
            `boot/vmlinux-${release}`,
            `lib/modules/${release}/modules.dep`,
            `lib/modules/${release}/build/Makefile`,
            `lib/modules/${release}/build/scripts/mod/modpost`,
          ]) {
            assert.ok(members.includes(m), `${m} in the tarball`);
          }
          // Directories before their contents, as tar --sort=name writes a tree.
          const seen = new Set<string>();
          for (const m of members) {
            const parent = m.replace(/\/$/, '').replace(/[^/]*$/, '');
            assert.ok(parent === '' || seen.has(parent), `${m} comes after ${parent}`);
            seen.add(m);
          }
          const verbose = (await execa('tar', ['-tvzf', p.path], C)).stdout;
          assert.ok(
            lines(verbose).every((l) => l.includes(' root/root ')),
            'every member is owned by root',
          );
          // A tarball declares no architecture: verify takes the target from the kernel configuration it ships.
          const verified = await runKpkg(['verify', '--json', p.path]);
          assert.equal(verified.exitCode, 0, verified.stdout + verified.stderr);
          const report = JSON.parse(verified.stdout) as VerifyReport;
          assert.deepEqual([report.target.arch, report.target.from], ['arm64', 'config']);
          assert.match(
            report.target.detail,
            new RegExp(
              `^kernel configuration /boot/config-${release.replaceAll('.', '\\.')} \\(CONFIG_ARM64=y, CONFIG_CPU_BIG_ENDIAN not set\\)$`,
            ),
          );
          assert.equal(
            report.checks.find((c) => c.id === 'kernel-config-arch')?.status,
            'pass',
            'the headers tree is configured for arm64 too',
          );
          assert.equal(report.checks.find((c) => c.id === 'elf-machine')?.status, 'pass');
        });

      test('every package of every format passes kpkg verify --arch arm64, and two runs give identical bytes', async () => {
        for (const format of formats) {
          const [first, second] = await written(format);
          const r = await runKpkg(['verify', '--arch', 'arm64', ...first.packages.map((p) => p.path)]);
          assert.equal(r.exitCode, 0, `${format}: ${r.stdout}${r.stderr}`);
          assert.match(r.stdout, /result: PASS/);
          if (format !== 'tar') assert.match(r.stdout, /ok +build-link +/, `${format}: the build link is checked`);
          assert.deepEqual(
            second.packages.map((p) => [p.name, p.sha256]),
            first.packages.map((p) => [p.name, p.sha256]),
            `${format}: a second run writes the same bytes`,
          );
        }
      });
    },
  );
}
