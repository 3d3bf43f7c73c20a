/**
 * verify takes the target from the kernel configuration the packages ship (after --arch and the
 * declared architecture, before any ELF majority), and says so when a configuration disagrees.
 */
import assert from 'node:assert/strict';
import { chmod, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CrossBuildDir, GCC_TOOLCHAINS } from '../testing/cross-binaries.js';
import type { CheckId } from './findings.js';
import { buildDeb, buildTarball, tempDir } from '../testing/verify-packages.js';
import type { ReadPackage } from '../reader/model.js';
import { readPackages, verifyPackages, type VerifyReport } from './verify.js';

const TREE = 'usr/src/linux-headers-6.1.99-cfg';
const ARM64_CONFIG = 'CONFIG_MODULES=y\nCONFIG_ARM64=y\nCONFIG_64BIT=y\n# CONFIG_CPU_BIG_ENDIAN is not set\n';
const AMD64_CONFIG = 'CONFIG_MODULES=y\nCONFIG_X86=y\nCONFIG_X86_64=y\nCONFIG_64BIT=y\n';

let compilers: CrossBuildDir;
let amd64Program: string;
before(async () => {
  compilers = await CrossBuildDir.create();
  amd64Program = await compilers.compile(GCC_TOOLCHAINS.amd64, { kind: 'pie' });
});
after(() => compilers.remove());

/** An install root with these text files and x86-64 programs (paths relative to the root). */
async function installRoot(
  texts: Readonly<Record<string, string>>,
  amd64Programs: readonly string[] = [],
): Promise<string> {
  const root = await tempDir('cfg-');
  for (const [path, text] of Object.entries(texts)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  for (const path of amd64Programs) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await copyFile(amd64Program, join(root, path));
    await chmod(join(root, path), 0o755);
  }
  return root;
}

function findingsOf(report: VerifyReport, check: CheckId): { path: string; found: string; expected: string }[] {
  return report.findings
    .filter((f) => f.check === check)
    .map((f) => ({ path: f.path ?? '', found: f.found ?? '', expected: f.expected ?? '' }));
}

/** A package read from nothing but kept texts: what the readers leave of configuration files. */
function textPackage(name: string, texts: Readonly<Record<string, string>>, arch?: string): ReadPackage {
  return {
    input: name,
    format: 'directory',
    name,
    ...(arch === undefined ? {} : { arch, archSource: 'test' }),
    members: Object.entries(texts).map(([path, text]) => ({
      path,
      type: 'file' as const,
      size: text.length,
      mode: 0o644,
      text,
      isText: true,
    })),
  };
}

describe('verify: the target from the shipped kernel configuration', () => {
  it('a directory with a headers tree .config for arm64 and x86-64 programs: arm64, and the programs are wrong-arch', async () => {
    const root = await installRoot({ [`${TREE}/.config`]: ARM64_CONFIG }, [
      `${TREE}/scripts/basic/fixdep`,
      `${TREE}/scripts/mod/modpost`,
    ]);
    const report = verifyPackages(await readPackages([root]));
    assert.deepEqual([report.target.arch, report.target.from], ['arm64', 'config']);
    assert.equal(
      report.target.detail,
      `kernel configuration /${TREE}/.config (CONFIG_ARM64=y, CONFIG_CPU_BIG_ENDIAN not set)`,
    );
    assert.deepEqual(
      findingsOf(report, 'elf-machine').map((f) => [f.path, f.found]),
      [`/${TREE}/scripts/basic/fixdep`, `/${TREE}/scripts/mod/modpost`].map((p) => [p, 'x86-64 64-bit little-endian']),
    );
    assert.equal(report.result, 'fail');
    assert.equal(report.checks.find((c) => c.id === 'kernel-config-arch')?.status, 'pass');
  });

  it('a tarball whose tree ships only include/generated/autoconf.h: read while streaming, the target from it', async () => {
    const root = await installRoot(
      {
        [`${TREE}/include/generated/autoconf.h`]:
          '#define CONFIG_MODULES 1\n#define CONFIG_ARM64 1\n#define CONFIG_LOCALVERSION ""\n',
      },
      [`${TREE}/scripts/basic/fixdep`],
    );
    const report = verifyPackages(await readPackages([await buildTarball(root, 'xz')]));
    assert.deepEqual([report.target.arch, report.target.from], ['arm64', 'config']);
    assert.match(report.target.detail, new RegExp(`^kernel configuration /${TREE}/include/generated/autoconf\\.h `));
    assert.deepEqual(
      findingsOf(report, 'elf-machine').map((f) => f.path),
      [`/${TREE}/scripts/basic/fixdep`],
    );
  });

  it('include/config/auto.conf describes its tree before .config, and with no configuration most ELF files decide', () => {
    const both = textPackage('both', {
      [`/${TREE}/include/config/auto.conf`]: AMD64_CONFIG,
      [`/${TREE}/.config`]: ARM64_CONFIG,
    });
    const report = verifyPackages([both]);
    assert.deepEqual(
      [report.target.arch, report.target.detail],
      ['amd64', `kernel configuration /${TREE}/include/config/auto.conf (CONFIG_X86=y, CONFIG_64BIT=y)`],
    );
    assert.deepEqual(findingsOf(report, 'kernel-config-arch'), [], 'one tree, one configuration');
    const none = verifyPackages([textPackage('none', { [`/${TREE}/.config`]: '# just a comment\nCONFIG_FOO=y\n' })]);
    assert.equal(none.target.from, 'none');
    assert.equal(none.checks.find((c) => c.id === 'kernel-config-arch')?.status, 'n/a');
  });

  it('/boot/config-<release> (make tar-pkg, image packages) counts too', () => {
    const report = verifyPackages([
      textPackage('image', { '/boot/config-6.1.99': 'CONFIG_RISCV=y\nCONFIG_64BIT=y\n' }),
    ]);
    assert.deepEqual([report.target.arch, report.target.from], ['riscv64', 'config']);
  });

  it('an ARMv7 VFP kernel allows armhf and armel: armhf unless most ELF files say otherwise', () => {
    const v7 = 'CONFIG_ARM=y\nCONFIG_AEABI=y\nCONFIG_CPU_32v7=y\nCONFIG_VFP=y\n';
    const report = verifyPackages([textPackage('arm', { [`/${TREE}/.config`]: v7 })]);
    assert.equal(report.target.arch, 'armhf');
    assert.match(report.target.detail, /: armhf or armel, armhf by default$/);
  });

  it('metadata and configuration disagree: the declared architecture is the target, and a kernel-config-arch warning names the file', async () => {
    const root = await installRoot({ [`${TREE}/.config`]: ARM64_CONFIG }, [`${TREE}/scripts/basic/fixdep`]);
    const deb = await buildDeb(root, { package: 'linux-headers-cfg', architecture: 'amd64' });
    const report = verifyPackages(await readPackages([deb]));
    assert.deepEqual([report.target.arch, report.target.from], ['amd64', 'metadata']);
    assert.deepEqual(findingsOf(report, 'kernel-config-arch'), [
      { path: `/${TREE}/.config`, found: 'arm64', expected: 'amd64' },
    ]);
    const warning = report.findings.find((f) => f.check === 'kernel-config-arch');
    assert.equal(warning?.severity, 'warning');
    assert.match(
      warning?.message ?? '',
      /^configures a kernel for arm64 \(CONFIG_ARM64=y, CONFIG_CPU_BIG_ENDIAN not set\); the target is amd64 \(from control field Architecture of linux-headers-cfg \(amd64\)\)/,
    );
    assert.deepEqual(findingsOf(report, 'elf-machine'), [], 'the x86-64 program is right for amd64');
  });

  it('--arch against the configuration, and two trees for different machines, are findings', () => {
    const arm64Tree = textPackage('a', { [`/${TREE}/.config`]: ARM64_CONFIG });
    assert.deepEqual(
      findingsOf(verifyPackages([arm64Tree], 'amd64'), 'kernel-config-arch').map((f) => [f.found, f.expected]),
      [['arm64', 'amd64']],
    );
    const amd64Tree = textPackage('b', {
      '/usr/src/linux-headers-6.1.99-other/include/config/auto.conf': AMD64_CONFIG,
    });
    const report = verifyPackages([amd64Tree, arm64Tree]);
    assert.deepEqual([report.target.arch, report.target.from], ['arm64', 'config'], 'the first tree by path');
    assert.deepEqual(
      findingsOf(report, 'kernel-config-arch').map((f) => f.path),
      ['/usr/src/linux-headers-6.1.99-other/include/config/auto.conf'],
    );
  });

  it('a configuration kpkg cannot place is no target, but disagrees with one', () => {
    const bigEndian = textPackage('be', { [`/${TREE}/.config`]: 'CONFIG_ARM64=y\nCONFIG_CPU_BIG_ENDIAN=y\n' });
    assert.equal(verifyPackages([bigEndian]).target.from, 'none');
    const findings = verifyPackages([bigEndian], 'arm64').findings.filter((f) => f.check === 'kernel-config-arch');
    assert.equal(findings.length, 1);
    assert.match(
      findings[0]?.message ?? '',
      /^configures a kernel for arm64 that kpkg does not package for \(CONFIG_ARM64=y; arm64 needs CONFIG_CPU_BIG_ENDIAN not set; the tree has CONFIG_CPU_BIG_ENDIAN=y\)/,
    );
  });
});
