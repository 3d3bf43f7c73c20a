import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detailTable, MATRIX, matrixTable, type CellResult } from './matrix.js';

test('the matrix holds its 17 cells, each once', () => {
  const keys = MATRIX.map((c) => `${c.series}/${c.config}/${c.arch}`);
  assert.equal(new Set(keys).size, 17);
  assert.ok(keys.includes('5.10/tiny/s390x') && keys.includes('6.12/tiny/i386') && keys.includes('newest/full/arm64'));
});

test('the table has a row per kernel with its release and every cell marked; a mirror failure is marked, not dropped', () => {
  const results: CellResult[] = [
    {
      cell: { series: '6.1', config: 'tiny', arch: 'arm64' },
      release: '6.1.192',
      outcome: 'pass',
      elfCount: 4,
      wrongArch: [],
      verifyClean: true,
      vermagic: '6.1.192 mod_unload modversions aarch64',
      seconds: 80,
    },
    {
      cell: { series: '6.1', config: 'tiny', arch: 's390x' },
      release: '6.1.192',
      outcome: 'fail',
      detail: 'kpkg verify: elf-machine | x86-64',
      seconds: 30,
    },
    {
      cell: { series: 'newest', config: 'tiny', arch: 'riscv64' },
      outcome: 'mirror',
      detail: 'kpkg smoke (rootfs): Hash Sum mismatch',
      seconds: 5,
    },
  ];
  assert.equal(
    matrixTable(results),
    [
      '| kernel | tiny | full (signing, BTF, GCC plugins) |',
      '|---|---|---|',
      '| 6.1 (6.1.192) | arm64 ✅, s390x ❌ | — |',
      '| newest in sid | riscv64 ⚠️ mirror | — |',
      '',
    ].join('\n'),
  );
  const rows = detailTable(results).split('\n');
  assert.equal(
    rows[2],
    '| 6.1.192 | tiny | arm64 | 4 (0) | clean | 6.1.192 mod_unload modversions aarch64 | 80 | ✅ |',
  );
  assert.equal(rows[3], '| 6.1.192 | tiny | s390x | — | — | — | 30 | ❌ kpkg verify: elf-machine \\| x86-64 |');
  assert.match(rows[4] ?? '', /\| newest \| tiny \| riscv64 .* ⚠️ mirror kpkg smoke \(rootfs\): Hash Sum mismatch \|$/);
});
