import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pacmanPackager } from '../../formats/pacman/write-pacman.js';
import { rpmPackager } from '../../formats/rpm/write-rpm.js';
import { tarballPackager } from '../../formats/tar/write-tarball.js';
import { KpkgError } from '../../util/errors.js';
import type { Member, ReadPackage } from '../../reader/model.js';
import { archiveFacts, factsOfPackages } from './archive-facts.js';
import { headersDescription, TEST_RELEASE, writeTestPackage } from '../../testing/install-packages.js';

let work = '';
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-smoke-facts-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

test('rpm (kernel-devel: /usr/src/kernels/<release>, build link), pacman (/usr/lib/modules/<release>/build), tarball (lib/modules/<release>/build): release, arch, compiler', async () => {
  const rpm = await writeTestPackage(
    work,
    rpmPackager,
    headersDescription('kernel-devel', `/usr/src/kernels/${TEST_RELEASE}`),
    'xz',
  );
  const pacman = await writeTestPackage(
    work,
    pacmanPackager,
    headersDescription('linux-upstream-headers', `/usr/lib/modules/${TEST_RELEASE}/build`, { clang: true }),
    'zstd',
  );
  const tarball = await writeTestPackage(
    work,
    tarballPackager,
    headersDescription('linux', `/lib/modules/6.12.0-rc1/build`, { release: '6.12.0-rc1', arch: 'ppc64el' }),
    'xz',
    'linux.tar.xz',
  );
  assert.deepEqual(await archiveFacts([rpm]), {
    release: TEST_RELEASE,
    debianArch: 'arm64',
    compiler: { kind: 'gcc', major: 12, versionText: '', llvm: false, llvmSuffixes: true },
  });
  assert.deepEqual(await archiveFacts([pacman]), {
    release: TEST_RELEASE,
    debianArch: 'arm64',
    compiler: { kind: 'clang', major: 14, versionText: '', llvm: true, llvmSuffixes: true },
  });
  // A tarball declares no architecture and these have no ELF file: nothing tells the machine.
  await assert.rejects(
    archiveFacts([tarball]),
    (e: unknown) =>
      e instanceof KpkgError &&
      e.exitCode === 2 &&
      /cannot tell the target architecture/.test(e.message) &&
      /^give --arch and --release/.test(e.hint ?? ''),
  );
});

const member = (path: string, extra: Partial<Member> = {}): Member => ({
  path,
  type: 'file',
  size: 0,
  mode: 0o644,
  ...extra,
});
const pkg = (name: string, members: Member[], arch?: string): ReadPackage => ({
  input: `/in/${name}`,
  format: 'rpm',
  name,
  members,
  ...(arch === undefined ? {} : { arch }),
});
const tree = (root: string, release: string): Member[] => [
  member(`${root}/include/config/kernel.release`, { text: `${release}\n` }),
  member(`${root}/include/config/auto.conf`, { text: 'CONFIG_MODULES=y\n' }),
];

test('the release is the build link that leads to a headers tree; none, or two, are usage errors', () => {
  const devel = pkg(
    'kernel-devel',
    [
      ...tree('/usr/src/kernels/6.1.0', '6.1.0'),
      member('/lib/modules/6.1.0/build', { type: 'symlink', link: '/usr/src/kernels/6.1.0' }),
    ],
    'aarch64',
  );
  // The kernel package's own /lib/modules/<release> has no build entry; modules do not count.
  const kernel = pkg(
    'kernel',
    [member('/lib/modules/6.1.0/kernel/lib/crc-ccitt.ko'), member('/lib/modules/6.1.0/modules.dep')],
    'aarch64',
  );
  assert.deepEqual(factsOfPackages([kernel, devel]), { release: '6.1.0', debianArch: 'arm64', compiler: undefined });
  // A dangling build link (kernel without kernel-devel) is no headers tree.
  const dangling = pkg(
    'kernel',
    [member('/lib/modules/6.1.0/build', { type: 'symlink', link: '/usr/src/kernels/6.1.0' })],
    'aarch64',
  );
  assert.throws(
    () => factsOfPackages([dangling]),
    (e: unknown) =>
      e instanceof KpkgError &&
      e.exitCode === 2 &&
      /no \/lib\/modules\/<release>\/build headers tree in kernel$/.test(e.message),
  );
  const other = pkg(
    'kernel-devel-2',
    [
      ...tree('/usr/src/kernels/6.1.1', '6.1.1'),
      member('/lib/modules/6.1.1/build', { type: 'symlink', link: '/usr/src/kernels/6.1.1' }),
    ],
    'aarch64',
  );
  assert.throws(
    () => factsOfPackages([devel, other]),
    /more than one kernel release in kernel-devel, kernel-devel-2: 6\.1\.0, 6\.1\.1$/,
  );
  // RPM arch names and merged-/usr paths: riscv64, /usr/lib/modules/<release>/build as a directory.
  const riscv = pkg('linux-headers', tree('/usr/lib/modules/6.12.0/build', '6.12.0'), 'riscv64');
  assert.deepEqual(factsOfPackages([riscv]), { release: '6.12.0', debianArch: 'riscv64', compiler: undefined });
});
