import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { bareElf, X86_64_ELF } from '../testing/bare-elf.js';
import { tempDir } from '../testing/verify-packages.js';
import { pathsOf, testVerifyReport, verifyFiles } from '../testing/verify-report.js';
import { finding } from './findings.js';
import { formatReport, SHOWN_PER_CHECK } from './report.js';
import { formatReportMarkdown } from './report-markdown.js';

const ROOT = '/usr/src/linux-headers-6.1';

test('packages, target, trees, one line per check with its findings below, then the result', () => {
  const fixdep = finding('elf-machine', 'x86-64, not AArch64', {
    path: `${ROOT}/scripts/basic/fixdep`,
    package: 'headers',
  });
  const text = formatReport(
    testVerifyReport({
      result: 'fail',
      exitCode: 1,
      target: {
        arch: 'arm64',
        from: 'option',
        detail: '--arch arm64',
        elf: 'ELF64 AArch64',
        dynamicLoader: '/lib/ld-linux-aarch64.so.1',
      },
      packages: [
        {
          input: 'out/h.deb',
          format: 'deb',
          name: 'headers',
          version: '6.1-1',
          arch: 'arm64',
          members: 1,
          files: 1,
          elfFiles: 1,
        },
        {
          input: 'out/k.deb',
          format: 'deb',
          name: 'kbuild',
          version: null,
          arch: null,
          members: 2,
          files: 2,
          elfFiles: 0,
        },
      ],
      headersTrees: [
        {
          root: ROOT,
          release: '6.1.0',
          sourceDir: null,
          package: 'headers',
          config: null,
          pluginCompiler: 'gcc 12.2.0',
        },
      ],
      checks: [
        { id: 'elf-machine', severity: 'error', title: 'ELF machine', status: 'fail', findings: 1, note: null },
        { id: 'headers-btf-skipped', severity: 'info', title: 'BTF', status: 'n/a', findings: 0, note: 'no vmlinux' },
      ],
      counts: { error: 1, warning: 0, info: 0 },
      findings: [fixdep, finding('headers-btf-skipped', 'about the set', { package: 'kbuild' })],
    }),
  );
  assert.equal(
    text,
    [
      'kpkg verify: 2 packages, verified together as one installed set',
      '  headers 6.1-1 [arm64]: deb, 1 entry, 1 ELF file — out/h.deb',
      '  kbuild: deb, 2 entries, 0 ELF files — out/k.deb',
      'target: arm64 — ELF64 AArch64, loader /lib/ld-linux-aarch64.so.1 (from --arch arm64)',
      `headers tree: ${ROOT} (6.1.0; no configuration shipped; GCC plugins for gcc 12.2.0 only)`,
      '',
      'FAIL  elf-machine          ELF machine (1)',
      `        ${ROOT}/scripts/basic/fixdep (headers): x86-64, not AArch64`,
      'n/a   headers-btf-skipped  BTF — no vmlinux',
      '        kbuild: about the set',
      '',
      'result: FAIL — 1 error, 0 warnings, 0 notes',
      '',
    ].join('\n'),
  );
});

test('one package, no tree, and findings past the shown number pointed to --json', () => {
  const many = Array.from({ length: SHOWN_PER_CHECK + 2 }, (_, i) => finding('elf-relocatable', `o${i}.o`));
  const text = formatReport(
    testVerifyReport({
      checks: [
        {
          id: 'elf-relocatable',
          severity: 'warning',
          title: 'no .o',
          status: 'fail',
          findings: many.length,
          note: null,
        },
      ],
      counts: { error: 0, warning: many.length, info: 0 },
      findings: many,
    }),
  );
  const lines = text.split('\n');
  assert.equal(lines[0], 'kpkg verify: 1 package');
  assert.ok(lines.includes('target: unknown: nothing tells'));
  assert.ok(lines.includes('headers tree: none'));
  assert.ok(lines.includes(`WARN  elf-relocatable  no .o (${many.length})`));
  assert.equal(lines.filter((l) => /^ {8}o\d+\.o$/.test(l)).length, SHOWN_PER_CHECK);
  assert.ok(lines.includes('        … and 2 more (--json lists every finding)'));
  assert.equal(lines.at(-2), `result: PASS — 0 errors, ${many.length} warnings, 0 notes`);
});

test('a name or field holding a line break, ESC or U+2028 prints escaped, never a line of its own', async () => {
  const dir = await tempDir();
  try {
    const spoof = 'x\nresult: PASS — 0 errors\r\x1b[1A\u2028';
    await writeFile(join(dir, spoof), bareElf({ ...X86_64_ELF, type: 'EXEC' }));
    const report = await verifyFiles([dir], 'arm64');
    assert.deepEqual(pathsOf(report, 'elf-machine'), [`/${spoof}`], 'the finding names the file as it is');
    const escaped = '/x\\nresult: PASS — 0 errors\\r\\x1b[1A\\u{2028}';
    const text = formatReport(report);
    const markdown = formatReportMarkdown(report);
    for (const out of [text, markdown]) for (const c of ['\r', '\x1b', '\u2028']) assert.ok(!out.includes(c));
    assert.deepEqual(
      text.split('\n').filter((l) => l.startsWith('result:')),
      ['result: FAIL — 1 error, 0 warnings, 0 notes'],
    );
    assert.ok(
      text.split('\n').some((l) => l.startsWith(`        ${escaped} (`)),
      text,
    );
    assert.equal(markdown.split('\n').filter((l) => l.startsWith('###')).length, 1);
    assert.ok(markdown.includes(`\`${escaped}\``), markdown);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
