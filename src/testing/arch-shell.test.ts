import { test } from 'node:test';
import assert from 'node:assert/strict';
import { archByDebian } from '../arch/arch-table.js';
import type { ArchInfo } from '../arch/arch-table.js';
import { shellAssignments } from './arch-shell.js';

function row(debian: string): ArchInfo {
  const found = archByDebian(debian);
  if (found === undefined) throw new Error(`no row ${debian}`);
  return found;
}

test('a row as shell assignments: SRCARCH as ARCH, the cross prefix unless it is the build machine', () => {
  assert.equal(
    shellAssignments(row('armel'), row('amd64')),
    "debian='armel'\nsrcarch='arm'\ncross='arm-linux-gnueabi-'\n",
  );
  assert.equal(shellAssignments(row('amd64'), row('amd64')), "debian='amd64'\nsrcarch='x86'\ncross=''\n");
  assert.equal(shellAssignments(row('i386'), row('amd64')), "debian='i386'\nsrcarch='x86'\ncross='i686-linux-gnu-'\n");
  assert.equal(
    shellAssignments(row('arm64'), undefined),
    "debian='arm64'\nsrcarch='arm64'\ncross='aarch64-linux-gnu-'\n",
  );
});
