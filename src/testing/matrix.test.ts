import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAMILIES } from '../families/families.js';
import { FAMILY_IDS } from '../package/family.js';
import {
  BOOT_KINDS,
  bootOutcome,
  cellFailed,
  cellKey,
  detailTable,
  machineOf,
  MATRIX,
  MATRIX_LEGEND,
  matrixTable,
  selectCells,
  type CellResult,
  type SmokeBoot,
} from './matrix.js';

test('the matrix holds its 21 cells, each once: the deb cells (one built with LLVM=1), and 6.12 full arm64 for every other family', () => {
  const keys = MATRIX.map(cellKey);
  assert.equal(new Set(keys).size, 21);
  assert.ok(keys.includes('6.12/tiny-llvm/arm64') && keys.includes('6.12/tiny/arm64'));
  assert.ok(keys.includes('5.10/tiny/s390x') && keys.includes('6.12/tiny/i386') && keys.includes('newest/full/arm64'));
  assert.deepEqual(MATRIX.filter((c) => c.family !== 'deb').map(cellKey), [
    '6.12/full/arm64/rpm',
    '6.12/full/arm64/pacman',
    '6.12/full/arm64/tar',
  ]);
});

test('--cells names a deb cell with or without /deb, another family with its name; unknown names are returned', () => {
  const { cells, unknown } = selectCells(
    ' 6.12/full/arm64/rpm, 6.12/tiny/s390x,6.1/full/arm64/deb,6.12/full/arm64/rpms,,',
  );
  assert.deepEqual(cells.map(cellKey), ['6.1/full/arm64', '6.12/tiny/s390x', '6.12/full/arm64/rpm']);
  assert.deepEqual(
    cells.map((c) => c.family),
    ['deb', 'deb', 'rpm'],
  );
  assert.deepEqual(unknown, ['6.12/full/arm64/rpms']);
  assert.equal(selectCells('6.12/full/arm64').cells.length, 1, 'the deb cell only, not the other families');
  assert.equal(selectCells(undefined).cells, MATRIX);
});

test('the image and headers kinds of every family are kinds its `--only` takes', () => {
  for (const id of FAMILY_IDS) {
    assert.ok(FAMILIES[id].kinds.includes(BOOT_KINDS[id].image), `${id}: ${BOOT_KINDS[id].image}`);
    assert.ok(FAMILIES[id].kinds.includes(BOOT_KINDS[id].headers), `${id}: ${BOOT_KINDS[id].headers}`);
  }
});

test('the machine is the qemu binary and its -M', () => {
  assert.equal(
    machineOf('/usr/bin/qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on -m 512 -kernel Image'),
    'qemu-system-aarch64 -M virt',
  );
  assert.equal(machineOf('qemu-system-s390x -machine s390-ccw-virtio -m 512'), 'qemu-system-s390x -M s390-ccw-virtio');
  assert.equal(machineOf('qemu-system-i386 -m 512'), 'qemu-system-i386');
});

const booted = (fields: Partial<SmokeBoot>): SmokeBoot => ({
  ok: true,
  command: 'qemu-system-aarch64 -M virt -m 512',
  secondsToInit: 2.4,
  seconds: 6,
  modules: [
    { name: 'crc_ccitt', origin: 'image', loaded: true, kernelSays: [] },
    { name: 'kpkg_hello', origin: 'built', loaded: true, kernelSays: [] },
  ],
  failures: [],
  ...fields,
});

test('boots and loads only when the boot passed and the module built against the headers is loaded', () => {
  assert.deepEqual(bootOutcome({ ok: true, boot: booted({}) }), { boot: 'loads' });
  const refused = bootOutcome({
    ok: false,
    failedStep: 'boot',
    boot: booted({
      ok: false,
      modules: [
        {
          name: 'kpkg_hello',
          origin: 'built',
          loaded: false,
          kernelSays: [
            'insmod: ERROR: could not insert module',
            'kpkg_hello: disagrees about version of symbol module_layout',
          ],
        },
      ],
      failures: ['kpkg_hello was not loaded'],
    }),
  });
  assert.deepEqual(refused, {
    boot: 'fails',
    bootDetail:
      'kpkg_hello: insmod: ERROR: could not insert module / kpkg_hello: disagrees about version of symbol module_layout; kpkg_hello was not loaded',
  });
  assert.deepEqual(
    bootOutcome({
      ok: false,
      failedStep: 'boot',
      boot: booted({ ok: false, modules: [], failures: ['no init: Kernel panic - not syncing: VFS'] }),
    }),
    {
      boot: 'fails',
      bootDetail: 'no module built against the headers was loaded; no init: Kernel panic - not syncing: VFS',
    },
  );
  assert.equal(bootOutcome({ ok: true }).boot, 'fails', 'a smoke that passed without a boot report');
  assert.deepEqual(
    bootOutcome({
      ok: false,
      failedStep: 'boot config',
      logTail: 'CONFIG_VIRTIO_BLK is not set: the kernel cannot find its disk on virt',
    }),
    { boot: 'refused', bootDetail: 'CONFIG_VIRTIO_BLK is not set: the kernel cannot find its disk on virt' },
  );
});

const RESULTS: CellResult[] = [
  {
    cell: { series: '6.1', config: 'tiny', arch: 'arm64', family: 'deb' },
    release: '6.1.192',
    outcome: 'pass',
    elfCount: 4,
    wrongArch: [],
    verifyClean: true,
    vermagic: '6.1.192 mod_unload modversions aarch64',
    boot: 'loads',
    machine: 'qemu-system-aarch64 -M virt',
    secondsToInit: 2.4,
    smokeSeconds: 70,
    seconds: 80,
  },
  {
    cell: { series: '6.1', config: 'tiny', arch: 's390x', family: 'deb' },
    release: '6.1.192',
    outcome: 'fail',
    detail: 'kpkg verify: elf-machine | x86-64',
    seconds: 30,
  },
  {
    cell: { series: '6.12', config: 'full', arch: 'arm64', family: 'rpm' },
    release: '6.12.48',
    outcome: 'pass',
    elfCount: 9,
    wrongArch: [],
    verifyClean: true,
    vermagic: '6.12.48 SMP preempt mod_unload modversions aarch64',
    boot: 'fails',
    bootDetail: 'kpkg_hello: Unknown symbol __fentry__ (err -2)',
    machine: 'qemu-system-aarch64 -M virt',
    secondsToInit: 3,
    smokeSeconds: 140,
    seconds: 150,
  },
  {
    cell: { series: 'newest', config: 'tiny', arch: 'riscv64', family: 'deb' },
    outcome: 'mirror',
    detail: 'kpkg smoke (rootfs): Hash Sum mismatch',
    seconds: 5,
  },
];

test('the table has a row per kernel with its release and every cell marked, with whether it boots and loads; a mirror failure is marked, not dropped', () => {
  assert.equal(
    matrixTable(RESULTS),
    [
      MATRIX_LEGEND,
      '',
      '| kernel | tiny | full (signing, BTF, GCC plugins) |',
      '|---|---|---|',
      '| 6.1 (6.1.192) | arm64 ✅ boots ✅, s390x ❌ | — |',
      '| 6.12 (6.12.48) | — | arm64 rpm ✅ boots ❌ |',
      '| newest in sid | riscv64 ⚠️ mirror | — |',
      '',
    ].join('\n'),
  );
  assert.match(MATRIX_LEGEND, /boots.*loads into the packaged kernel/);
});

test("the detail rows hold the boot figures, and a cell that builds but does not boot names the kernel's words", () => {
  const rows = detailTable(RESULTS).split('\n');
  assert.match(rows[0] ?? '', /\| machine \| s to init \| smoke s \| s \| result \| boots and loads \|$/);
  assert.equal(
    rows[2],
    '| 6.1.192 | tiny | arm64 | deb | 4 (0) | clean | 6.1.192 mod_unload modversions aarch64 | qemu-system-aarch64 -M virt | 2.4 | 70 | 80 | ✅ | ✅ |',
  );
  assert.equal(
    rows[3],
    '| 6.1.192 | tiny | s390x | deb | — | — | — | — | — | — | 30 | ❌ kpkg verify: elf-machine \\| x86-64 | — |',
  );
  assert.equal(
    rows[4],
    '| 6.12.48 | full | arm64 | rpm | 9 (0) | clean | 6.12.48 SMP preempt mod_unload modversions aarch64 | qemu-system-aarch64 -M virt | 3 | 140 | 150 | ✅ | ❌ kpkg_hello: Unknown symbol __fentry__ (err -2) |',
  );
  assert.match(
    rows[5] ?? '',
    /\| newest \| tiny \| riscv64 .* ⚠️ mirror kpkg smoke \(rootfs\): Hash Sum mismatch \| — \|$/,
  );
});

test('a cell fails the matrix when its packages fail or the module does not load; so does a refused boot; the mirror does not', () => {
  assert.deepEqual(RESULTS.map(cellFailed), [false, true, true, false]);
  const [loads] = RESULTS;
  assert.ok(loads !== undefined);
  assert.equal(cellFailed({ ...loads, boot: 'refused' }), true);
});
