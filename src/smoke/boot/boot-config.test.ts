import assert from 'node:assert/strict';
import { test } from 'node:test';
import { archByDebian, BOOT_KCONFIG, type ArchInfo, type QemuSystem } from '../../arch/arch-table.js';
import { bootConfigRefusal, bootConfigVerdict, builtInOptions, requiredBootOptions } from './boot-config.js';

function arm64(): { arch: ArchInfo; machine: QemuSystem } {
  const arch = archByDebian('arm64');
  assert.ok(arch?.qemuSystem !== undefined);
  return { arch, machine: arch.qemuSystem };
}

/** A .config the way `make olddefconfig` writes it, building in every option of `yes`. */
function dotConfig(yes: readonly string[], extra = ''): string {
  return [
    '#',
    '# Automatically generated file; DO NOT EDIT.',
    '# Linux/arm64 6.1.0 Kernel Configuration',
    '#',
    ...yes.map((o) => `CONFIG_${o}=y`),
    extra,
  ].join('\n');
}

test('builtInOptions takes =y only, not =m, not "is not set", not strings', () => {
  const set = builtInOptions(
    [
      'CONFIG_TTY=y',
      'CONFIG_SERIAL_AMBA_PL011=m',
      '# CONFIG_SERIAL_AMBA_PL011_CONSOLE is not set',
      'CONFIG_LOCALVERSION="y"',
      'CONFIG_NR_CPUS=8',
      '  CONFIG_PRINTK=y  ',
      'CONFIG_PROC_FS=yes',
    ].join('\n'),
  );
  assert.deepEqual([...set].sort(), ['PRINTK', 'TTY']);
});

test('the required options are the common ones, then the machine console driver', () => {
  const { machine } = arm64();
  assert.deepEqual(requiredBootOptions(machine), [...BOOT_KCONFIG, 'SERIAL_AMBA_PL011', 'SERIAL_AMBA_PL011_CONSOLE']);
});

test('a config lacking the console driver: exactly the missing options, in order, and a fragment', () => {
  const { machine } = arm64();
  // The driver as a module does not count: nothing loads it before the console is needed.
  const verdict = bootConfigVerdict(
    dotConfig([...BOOT_KCONFIG], 'CONFIG_SERIAL_AMBA_PL011=m\n# CONFIG_SERIAL_AMBA_PL011_CONSOLE is not set\n'),
    machine,
  );
  assert.deepEqual(verdict, {
    missing: ['SERIAL_AMBA_PL011', 'SERIAL_AMBA_PL011_CONSOLE'],
    fragment: 'CONFIG_SERIAL_AMBA_PL011=y\nCONFIG_SERIAL_AMBA_PL011_CONSOLE=y\n',
  });
});

test('missing options follow the required order, not the order of the config', () => {
  const { machine } = arm64();
  const allBut = requiredBootOptions(machine).filter((o) => o !== 'PRINTK' && o !== 'SYSFS' && o !== 'TTY');
  const verdict = bootConfigVerdict(dotConfig([...allBut].reverse()), machine);
  assert.deepEqual(verdict.missing, ['TTY', 'PRINTK', 'SYSFS']);
});

test('a complete config misses nothing', () => {
  const { machine } = arm64();
  assert.deepEqual(bootConfigVerdict(dotConfig(requiredBootOptions(machine)), machine), {
    missing: [],
    fragment: '',
  });
});

test('the refusal names the machine, the file, the options and the scripts/config command', () => {
  const { arch, machine } = arm64();
  const verdict = bootConfigVerdict(dotConfig([...BOOT_KCONFIG]), machine);
  assert.equal(
    bootConfigRefusal(arch, machine, '/usr/src/linux-headers-6.1.0/.config', verdict),
    'the kernel cannot boot on qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on (console ttyAMA0): ' +
      '/usr/src/linux-headers-6.1.0/.config lacks CONFIG_SERIAL_AMBA_PL011=y CONFIG_SERIAL_AMBA_PL011_CONSOLE=y; ' +
      "add them to the arm64 tree's .config (e.g. scripts/config -e SERIAL_AMBA_PL011 -e SERIAL_AMBA_PL011_CONSOLE && make olddefconfig), rebuild and package again",
  );
});
