import { test } from 'node:test';
import assert from 'node:assert/strict';
import { archByDebian } from '../arch/arch-table.js';
import type { ArchInfo } from '../arch/arch-table.js';
import { bootOptions, shellAssignments } from './arch-shell.js';

function row(debian: string): ArchInfo {
  const found = archByDebian(debian);
  if (found === undefined) throw new Error(`no row ${debian}`);
  return found;
}

test('a row as shell assignments: SRCARCH as ARCH, the cross prefix unless it is the build machine', () => {
  assert.equal(
    shellAssignments(row('armel'), row('amd64')),
    "debian='armel'\nsrcarch='arm'\ncross='arm-linux-gnueabi-'\nbootoptions=''\n",
  );
  assert.equal(
    shellAssignments(row('amd64'), row('amd64')),
    "debian='amd64'\nsrcarch='x86'\ncross=''\nbootoptions=''\n",
  );
  const boot = 'TTY PRINTK BLK_DEV_INITRD DEVTMPFS DEVTMPFS_MOUNT BINFMT_ELF BINFMT_SCRIPT PROC_FS SYSFS';
  assert.equal(
    shellAssignments(row('i386'), row('amd64')),
    `debian='i386'\nsrcarch='x86'\ncross='i686-linux-gnu-'\nbootoptions='${boot} SERIAL_8250 SERIAL_8250_CONSOLE'\n`,
  );
  assert.equal(
    shellAssignments(row('arm64'), undefined),
    `debian='arm64'\nsrcarch='arm64'\ncross='aarch64-linux-gnu-'\nbootoptions='${boot} SERIAL_AMBA_PL011 SERIAL_AMBA_PL011_CONSOLE'\n`,
  );
});

test('the boot options: the shared ones, the console driver, then what the machine needs; none without a machine', () => {
  assert.deepEqual(bootOptions(row('armel')), []);
  assert.deepEqual(bootOptions(row('armhf')).slice(-7), [
    'SERIAL_AMBA_PL011',
    'SERIAL_AMBA_PL011_CONSOLE',
    'MMU',
    'ARCH_MULTI_V7',
    'AEABI',
    'VFP',
    'ARCH_VIRT',
  ]);
});
