import assert from 'node:assert/strict';
import { test } from 'node:test';
import { archByDebian } from '../arch/arch-table.js';
import { pluginCompilerRecord, PLUGIN_COMPILER_RECORD } from '../kernel/headers/gcc-plugins.js';
import { FileSet } from '../reader/file-set.js';
import type { HeadersTree } from '../reader/headers-trees.js';
import type { Member, ReadPackage } from '../reader/model.js';
import { finding } from './findings.js';
import { reportOf } from './report-data.js';

const ROOT = '/usr/src/linux-headers-6.1';
const record = pluginCompilerRecord({
  major: 12,
  basever: '12.2.0',
  datestamp: '20220819',
  pkgversion: 'Debian 12.2.0-14',
  configure: '',
});
const members: Member[] = [
  { path: ROOT, type: 'dir', size: 0, mode: 0o755 },
  {
    path: `${ROOT}/scripts/basic/fixdep`,
    type: 'file',
    size: 64,
    mode: 0o755,
    elf: { kind: 'truncated', reason: 'ends inside the ELF header' },
  },
  { path: `${ROOT}/${PLUGIN_COMPILER_RECORD}`, type: 'file', size: record.length, mode: 0o644, text: record },
];
const pkg: ReadPackage = { input: 'h.deb', format: 'deb', name: 'headers', version: '6.1-1', members };
const tree: HeadersTree = {
  root: ROOT,
  release: '6.1.0',
  releases: ['6.1.0'],
  package: 'headers',
  config: new Map(),
  configFile: 'include/config/auto.conf',
  areas: [ROOT],
};

test('the report: the target, the packages, the trees, each check with its status, and the counts', () => {
  const arm64 = archByDebian('arm64');
  assert.ok(arm64 !== undefined);
  const report = reportOf(
    {
      packages: [pkg],
      set: new FileSet([pkg]),
      target: { arch: arm64, from: 'option', detail: '--arch arm64' },
      configs: [],
      trees: [tree],
    },
    [
      {
        id: 'elf-machine',
        applicable: true,
        findings: [finding('elf-machine', 'x86-64, not AArch64', { path: `${ROOT}/scripts/basic/fixdep` })],
      },
      {
        id: 'elf-relocatable',
        applicable: true,
        findings: [finding('elf-relocatable', 'a.o'), finding('elf-relocatable', 'b.o')],
      },
      { id: 'headers-btf-skipped', applicable: false, findings: [], note: 'no vmlinux' },
      { id: 'package-arch', applicable: true, findings: [] },
    ],
  );
  assert.equal(report.result, 'fail');
  assert.equal(report.exitCode, 1);
  assert.deepEqual(report.counts, { error: 1, warning: 2, info: 0 });
  assert.deepEqual(report.target, {
    arch: 'arm64',
    from: 'option',
    detail: '--arch arm64',
    elf: report.target.elf,
    dynamicLoader: '/lib/ld-linux-aarch64.so.1',
  });
  assert.match(report.target.elf ?? '', /AArch64/);
  assert.deepEqual(report.packages, [
    { input: 'h.deb', format: 'deb', name: 'headers', version: '6.1-1', arch: null, members: 3, files: 2, elfFiles: 1 },
  ]);
  assert.deepEqual(report.headersTrees, [
    {
      root: ROOT,
      release: '6.1.0',
      sourceDir: null,
      package: 'headers',
      config: 'include/config/auto.conf',
      pluginCompiler: 'gcc 12.2.0 (Debian 12.2.0-14)',
    },
  ]);
  assert.deepEqual(
    report.checks.map((c) => [c.id, c.severity, c.status, c.findings, c.note]),
    [
      ['elf-machine', 'error', 'fail', 1, null],
      ['elf-relocatable', 'warning', 'fail', 2, null],
      ['headers-btf-skipped', 'info', 'n/a', 0, 'no vmlinux'],
      ['package-arch', 'error', 'pass', 0, null],
    ],
  );
  assert.equal(report.findings.length, 3);
});

test('warnings alone pass; an unknown target has no machine facts', () => {
  const report = reportOf(
    { packages: [pkg], set: new FileSet([pkg]), target: { from: 'none', detail: 'unknown' }, configs: [], trees: [] },
    [{ id: 'elf-relocatable', applicable: true, findings: [finding('elf-relocatable', 'a.o')] }],
  );
  assert.equal(report.result, 'pass');
  assert.equal(report.exitCode, 0);
  assert.deepEqual(report.target, { arch: null, from: 'none', detail: 'unknown', elf: null, dynamicLoader: null });
});
