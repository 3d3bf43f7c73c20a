import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilerDefaultMakefile } from '../../kernel/compiler.js';
import type { Member, ReadPackage } from '../../reader/model.js';
import { verifyContext } from '../verify.js';
import { headersCompilerCheck } from './headers-compiler.js';

const TREE = '/usr/src/linux-headers-6.12.95';
const CLANG =
  'CONFIG_MODULES=y\nCONFIG_ARM64=y\nCONFIG_CC_IS_CLANG=y\nCONFIG_CLANG_VERSION=140006\nCONFIG_LD_IS_LLD=y\n';
const GCC = 'CONFIG_MODULES=y\nCONFIG_ARM64=y\nCONFIG_CC_IS_GCC=y\nCONFIG_GCC_VERSION=120200\n';
const GNUMAKEFILE = compilerDefaultMakefile(
  { kind: 'clang', major: 14, versionText: 'Debian clang version 14.0.6', llvm: true, llvmSuffixes: true },
  '-14',
);

function text(path: string, contents: string): Member {
  return { path: `${TREE}/${path}`, type: 'file', size: contents.length, mode: 0o644, text: contents };
}

/** A headers deb of `config` with these Depends and, when given, a GNUmakefile. */
function headersDeb(config: string, requires: string[][] | undefined, gnuMakefile?: string): ReadPackage {
  return {
    input: 'linux-headers-6.12.95_arm64.deb',
    format: requires === undefined ? 'tar' : 'deb',
    name: 'linux-headers-6.12.95',
    ...(requires === undefined ? {} : { requires }),
    members: [
      text('include/config/auto.conf', config),
      text('include/config/kernel.release', '6.12.95\n'),
      text('Makefile', ''),
      ...(gnuMakefile === undefined ? [] : [text('GNUmakefile', gnuMakefile)]),
    ],
  };
}

function run(pkg: ReadPackage): ReturnType<typeof headersCompilerCheck.run> {
  return headersCompilerCheck.run(verifyContext([pkg], 'arm64'));
}

describe('headers-compiler: the kernel compiler of the headers, brought and chosen', () => {
  it("kpkg's clang headers: clang-14, lld-14 in Depends and LLVM= in the GNUmakefile: pass", () => {
    const outcome = run(headersDeb(CLANG, [['libc6'], ['clang-14'], ['lld-14'], ['llvm-14']], GNUMAKEFILE));
    assert.deepEqual(outcome['headers-compiler'], { applicable: true, findings: [], note: undefined });
    assert.equal(outcome['headers-compiler-undeclared'].applicable, false);
  });

  it("upstream's clang headers: no clang in Depends, nothing chooses LLVM=: two warnings saying what follows", () => {
    const findings = run(headersDeb(CLANG, [['libc6']]))['headers-compiler'].findings;
    assert.deepEqual(
      findings.map((f) => [f.check, f.severity, f.package]),
      [
        ['headers-compiler', 'warning', 'linux-headers-6.12.95'],
        ['headers-compiler', 'warning', 'linux-headers-6.12.95'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /built with clang 14, but the packages do not depend on clang or lld/);
    assert.equal(findings[0]?.expected, 'clang-14, lld-14');
    assert.match(findings[1]?.message ?? '', /make picks gcc, which fails on clang's options.*GNUmakefile/);
  });

  it('a GNUmakefile that sets no LLVM= does not count; a tarball has no relations to judge', () => {
    const findings = run(headersDeb(CLANG, undefined, 'include Makefile\n'))['headers-compiler'].findings;
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /nothing in the tree makes/);
  });

  it('gcc-built: gcc in Depends passes; none is a note (info), not a warning', () => {
    assert.deepEqual(run(headersDeb(GCC, [['gcc-12'], ['gcc']]))['headers-compiler-undeclared'].findings, []);
    const bare = run(headersDeb(GCC, [['libc6']]));
    assert.deepEqual(
      bare['headers-compiler-undeclared'].findings.map((f) => [f.severity, f.expected]),
      [['info', 'gcc-12']],
    );
    assert.equal(bare['headers-compiler'].applicable, false);
  });
});
