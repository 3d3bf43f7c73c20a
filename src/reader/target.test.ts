import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseElf } from '../elf/elf.js';
import { EF_ARM_ABI_FLOAT_HARD, EF_ARM_ABI_FLOAT_SOFT } from '../elf/identity.js';
import { AARCH64_ELF, bareElf, X86_64_ELF, type BareElf } from '../testing/bare-elf.js';
import { debPackage, textMember } from '../testing/members.js';
import type { Member } from './model.js';
import { chooseTarget } from './target.js';

const ARM = { class: 32, endian: 'little', machine: 40 } as const;

function elfMember(path: string, spec: Omit<BareElf, 'type'>): Member {
  return { path, type: 'file', size: 64, mode: 0o755, elf: parseElf(bareElf({ ...spec, type: 'DYN' })) };
}

test('--arch wins, by any name it knows; an unknown or ambiguous one is a usage error', () => {
  const packages = [debPackage('a', [], { arch: 'amd64' })];
  assert.equal(chooseTarget('aarch64', packages).arch?.debian, 'arm64');
  assert.equal(chooseTarget('aarch64', packages).detail, '--arch aarch64');
  assert.throws(() => chooseTarget('vax', packages), { message: '--arch vax: unknown architecture', exitCode: 2 });
  assert.throws(
    () => chooseTarget('arm', packages),
    /--arch arm is ambiguous: it is the kernel architecture of armhf and armel/,
  );
});

test("then the first package metadata that names a machine, skipping 'all' and 'noarch'", () => {
  const target = chooseTarget(undefined, [
    debPackage('doc', [], { arch: 'all' }),
    debPackage('headers', [elfMember('/x', X86_64_ELF)], { format: 'rpm', arch: 'aarch64', archSource: 'header ARCH' }),
  ]);
  assert.equal(target.arch?.debian, 'arm64');
  assert.equal(target.from, 'metadata');
  assert.equal(target.detail, 'header ARCH of headers (aarch64)');
});

test('then a shipped kernel configuration, where most ELF files tell armhf from armel', () => {
  const arm = 'CONFIG_ARM=y\nCONFIG_AEABI=y\nCONFIG_CPU_32v7=y\nCONFIG_VFP=y\n';
  const soft = { ...ARM, flags: 0x05000000 | EF_ARM_ABI_FLOAT_SOFT };
  const hard = { ...ARM, flags: 0x05000000 | EF_ARM_ABI_FLOAT_HARD };
  const members = [
    textMember('/usr/src/h/.config', arm),
    elfMember('/a', soft),
    elfMember('/b', soft),
    elfMember('/c', hard),
  ];
  const target = chooseTarget(undefined, [debPackage('h', members)]);
  assert.equal(target.arch?.debian, 'armel');
  assert.equal(target.from, 'config');
  assert.match(
    target.detail,
    /^kernel configuration \/usr\/src\/h\/\.config \(.*\): armhf or armel, armel by most ELF files: 2 of 3 are /,
  );
  const arm64 = chooseTarget(undefined, [
    debPackage('h', [textMember('/boot/config-6.1', 'CONFIG_ARM64=y\n'), elfMember('/a', X86_64_ELF)]),
  ]);
  assert.equal(arm64.arch?.debian, 'arm64');
});

test('then the machine of most ELF files; with none, the target is unknown and says why', () => {
  const elves = [elfMember('/a', X86_64_ELF), elfMember('/b', AARCH64_ELF), elfMember('/c', AARCH64_ELF)];
  const target = chooseTarget(undefined, [debPackage('h', elves)]);
  assert.equal(target.arch?.debian, 'arm64');
  assert.equal(target.from, 'elf');
  assert.match(target.detail, /^most ELF files: 2 of 3 are /);
  const none = chooseTarget(undefined, [debPackage('h', [textMember('/usr/src/h/Makefile', 'all:\n')])]);
  assert.equal(none.arch, undefined);
  assert.equal(none.from, 'none');
  assert.match(none.detail, /^unknown: no --arch/);
});
