import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PACKAGE_ARCH_PASSED, testVerifyReport } from '../testing/verify-report.js';
import { finding } from '../verify/findings.js';
import { formatReportMarkdown } from '../verify/report-markdown.js';
import { packagesMarkdown, smokeMarkdown, smokeText } from './summaries.js';

test('kpkg deb --format markdown: the packages, the upload files, the rebuilt programs, the relations', () => {
  const text = packagesMarkdown('deb', {
    release: '6.1.192',
    arch: 'arm64',
    format: 'deb',
    packages: [
      {
        kind: 'headers',
        name: 'linux-headers-6.1.192',
        version: '6.1.192-1',
        path: '/out/linux-headers-6.1.192_6.1.192-1_arm64.deb',
        size: 7612528,
        sha256: 'ab'.repeat(32),
      },
    ],
    rebuilt: [{ path: 'scripts/basic/fixdep', was: 'ELF 64-bit x86-64' }],
    elfCount: 4,
    depends: ['libc6 (>= 2.34)'],
    warnings: ['a | pipe'],
    setFiles: ['/out/linux-upstream_6.1.192-1_arm64.changes'],
  });
  assert.match(
    text,
    /^### kpkg deb: 1 package for 6\.1\.192 \(arm64\)\n\n\| package \| version \| file \| size \| sha256 \|\n/,
  );
  assert.match(
    text,
    /\n\| `linux-headers-6\.1\.192` \| 6\.1\.192-1 \| `linux-headers-6\.1\.192_6\.1\.192-1_arm64\.deb` \| 7\.3 MiB \| `(ab){32}` \|\n/,
  );
  assert.match(text, /\nBeside them: `linux-upstream_6\.1\.192-1_arm64\.changes`\n/);
  assert.match(
    text,
    /\n\*\*1 host programs rebuilt for arm64\*\*, 4 ELF files checked\n\n\| program \| was \|\n\| --- \| --- \|\n\| `scripts\/basic\/fixdep` \| ELF 64-bit x86-64 \|\n/,
  );
  assert.match(text, /\n\*\*The headers depend on:\*\* `libc6 \(>= 2\.34\)`\n/);
  assert.match(text, /\n- a \\\| pipe\n$/);
});

test('kpkg smoke --format markdown: the verdict, the facts, the timings, the log tail on failure', () => {
  const failed = smokeMarkdown(
    { release: '6.1.192', arch: 'arm64' },
    {
      ok: false,
      failedStep: 'build module',
      logTail: 'fixdep: Exec format error\n',
      installer: 'deb',
      timings: [{ step: 'rootfs', seconds: 1.25 }],
    },
  );
  assert.match(failed, /^### kpkg smoke: ❌ FAILED at "build module"\n/);
  assert.match(failed, /\n\| rootfs \| 1\.3 \|\n/);
  assert.match(failed, /\n```\nfixdep: Exec format error\n```\n$/);
  const passed = smokeMarkdown(
    {
      release: '6.1.192',
      arch: 'arm64',
      compiler: {
        kind: 'clang',
        major: 14,
        versionText: 'Debian clang version 14.0.6',
        llvm: true,
        llvmSuffixes: true,
      },
    },
    { ok: true, vermagic: '6.1.192 SMP mod_unload aarch64', installer: 'deb', timings: [] },
  );
  assert.match(passed, /^### kpkg smoke: ✅ passed\n/);
  assert.match(
    passed,
    /\| 6\.1\.192 \| arm64 \(emulated\), clang 14 \(LLVM\) \| deb \| `\/lib\/modules\/6\.1\.192\/build` \| `6\.1\.192 SMP mod_unload aarch64` \|/,
  );
  assert.doesNotMatch(passed, /```/);
});

test('kpkg verify --format markdown: verdict, packages, every check with its status, findings collapsed', () => {
  const report = testVerifyReport({
    result: 'fail',
    exitCode: 1,
    target: {
      arch: 'arm64',
      from: 'metadata',
      detail: "the packages' Architecture",
      elf: 'ELF64 AArch64',
      dynamicLoader: '/lib/ld-linux-aarch64.so.1',
    },
    packages: [
      {
        input: 'h.deb',
        format: 'deb',
        name: 'linux-headers-6.1.192',
        version: '6.1.192-1',
        arch: 'arm64',
        members: 10,
        files: 8,
        elfFiles: 2,
      },
    ],
    checks: [
      PACKAGE_ARCH_PASSED,
      { id: 'elf-machine', severity: 'error', title: 'ELF machine', status: 'fail', findings: 1, note: null },
    ],
    counts: { error: 1, warning: 0, info: 0 },
    findings: [
      finding('elf-machine', 'x86-64, not AArch64', {
        path: '/usr/src/linux-headers-6.1.192/scripts/basic/fixdep',
        package: 'linux-headers-6.1.192',
      }),
    ],
  });
  const text = formatReportMarkdown(report);
  assert.match(text, /^### kpkg verify: ❌ FAIL — 1 error, 0 warnings, 0 notes\n/);
  assert.match(
    text,
    /\| `package-arch` \| ✅ ok \| 0 \| declared architecture \|\n\| `elf-machine` \| ❌ FAIL \| 1 \| ELF machine \|/,
  );
  assert.match(
    text,
    /<details><summary>Findings \(1\)<\/summary>\n\n- \*\*error\*\* `elf-machine` `\/usr\/src\/linux-headers-6\.1\.192\/scripts\/basic\/fixdep` \(linux-headers-6\.1\.192\): x86-64, not AArch64\n\n<\/details>\n$/,
  );
});

test('smoke and the package commands: what the packages and the target said prints escaped, never a line of its own', () => {
  const spoof = '6.1.192\n### kpkg smoke: ✅ passed\x1b[2J';
  const facts = { program: 'dpkg', built: 'kpkg_hello.ko', release: '6.1.192', arch: 'arm64' };
  const passed = { ok: true, vermagic: spoof, installer: 'deb' as const, timings: [] };
  const text = smokeText(passed, facts);
  assert.equal(text.split('\n').length, 3, text);
  assert.ok(text.includes('  vermagic: 6.1.192\\n### kpkg smoke: ✅ passed\\x1b[2J\n'), text);
  const markdown = smokeMarkdown({ release: '6.1.192', arch: 'arm64' }, passed);
  assert.equal(markdown.split('\n').filter((l) => l.startsWith('###')).length, 1, markdown);
  const failed = smokeText(
    { ok: false, failedStep: 'build module', logTail: 'make: *** x\n\x1b[31merror\x1b[0m\r\n', timings: [] },
    facts,
  );
  assert.equal(failed, 'smoke FAILED at "build module":\nmake: *** x\n\\x1b[31merror\\x1b[0m\n\n');
  const packages = packagesMarkdown('deb', {
    release: '6.1.192',
    arch: 'arm64',
    format: 'deb',
    packages: [],
    rebuilt: [],
    elfCount: 0,
    depends: [],
    warnings: ['line one\n### kpkg deb: 0 packages'],
    setFiles: [],
  });
  assert.equal(packages.split('\n').filter((l) => l.startsWith('###')).length, 1, packages);
});

test("smoke's report: each script that failed or was denied is a line naming package and script, escaped", () => {
  const facts = { program: 'dpkg', built: 'kpkg_hello.ko', release: '6.12.95', arch: 'arm64' };
  const denied = {
    package: 'linux-headers-6.12.95',
    script: 'postinst',
    kind: 'denied' as const,
    words:
      '/var/lib/dpkg/info/linux-headers-6.12.95.postinst: 3: cannot create /proc/sys/kernel/hostname: Read-only file system',
  };
  const failedScript = {
    package: 'linux-headers-6.12.95\nsmoke passed',
    script: 'preinst',
    kind: 'failed' as const,
    status: 'exit status 1',
    words: 'no',
  };
  const passed = smokeText(
    { ok: true, vermagic: '6.12.95 SMP', installer: 'deb', timings: [], scripts: [denied] },
    facts,
  );
  assert.ok(
    passed.endsWith(
      "\nwarning: linux-headers-6.12.95's postinst was denied: /var/lib/dpkg/info/linux-headers-6.12.95.postinst: 3: cannot create /proc/sys/kernel/hostname: Read-only file system\n",
    ),
    passed,
  );
  const failed = smokeText(
    { ok: false, failedStep: 'install', logTail: 'tail', timings: [], scripts: [denied, failedScript] },
    facts,
  );
  assert.equal(
    failed.split('\n').at(-2),
    "error: linux-headers-6.12.95\\nsmoke passed's preinst failed (exit status 1): no",
  );
  const markdown = smokeMarkdown(
    { release: '6.12.95', arch: 'arm64' },
    { ok: true, installer: 'deb', timings: [], scripts: [denied] },
  );
  assert.match(markdown, /\n- ⚠️ linux-headers-6\.12\.95's postinst was denied: .*Read-only file system\n$/);
  const none = smokeMarkdown(
    { release: '6.12.95', arch: 'arm64' },
    { ok: true, installer: 'deb', timings: [], scripts: [] },
  );
  assert.doesNotMatch(none, /scripts/);
});
