import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ARCHES } from '../arch/arch-table.js';
import { isKpkgError } from '../util/errors.js';
import { debianArchInfo, nativeDebianArches, qemuCpuFor } from './debian-arch.js';

test('Debian architectures map to qemu-user CPU names', () => {
  assert.equal(qemuCpuFor('arm64'), 'aarch64');
  assert.equal(qemuCpuFor('armhf'), 'arm');
  assert.equal(qemuCpuFor('armel'), 'arm');
  assert.equal(qemuCpuFor('ppc64el'), 'ppc64le');
  assert.equal(qemuCpuFor('riscv64'), 'riscv64');
  assert.equal(qemuCpuFor('amd64'), 'x86_64');
  assert.equal(qemuCpuFor('loong64'), 'loongarch64');
});

test('every qemu CPU name has a binfmt rule shipped by qemu-user-static', async () => {
  const { access } = await import('node:fs/promises');
  for (const arch of ['arm64', 'armhf', 'ppc64el', 'riscv64', 's390x', 'mips64el', 'loong64']) {
    await access(`/usr/lib/binfmt.d/qemu-${qemuCpuFor(arch)}.conf`).catch((e: unknown) => {
      throw new Error(`no /usr/lib/binfmt.d/qemu-${qemuCpuFor(arch)}.conf; fix: apt-get install qemu-user-static`, {
        cause: e,
      });
    });
  }
});

test('an unknown architecture is a KpkgError that lists the known ones', () => {
  assert.throws(
    () => qemuCpuFor('aarch64'),
    (e: unknown) =>
      isKpkgError(e) && /unknown Debian architecture 'aarch64'/.test(e.message) && (e.hint ?? '').includes('arm64'),
  );
  assert.throws(
    () => qemuCpuFor('toString'),
    (e: unknown) => isKpkgError(e),
  );
});

test('ELF identity of target binaries', () => {
  assert.deepEqual(debianArchInfo('arm64'), {
    debian: 'arm64',
    qemuCpu: 'aarch64',
    elf: { machine: 183, class: 64, endian: 'little' },
  });
  assert.equal(debianArchInfo('armhf').elf.class, 32);
  assert.equal(debianArchInfo('armhf').elf.armFloat, 'hard');
  assert.equal(debianArchInfo('armel').elf.armFloat, 'soft');
  assert.equal(debianArchInfo('ppc64el').elf.endian, 'little');
  assert.equal(debianArchInfo('riscv64').elf.machine, 243);
});

test("the ELF identity is the arch table's, and every arch table row can be emulated", () => {
  for (const arch of ARCHES) {
    const info = debianArchInfo(arch.debian);
    assert.deepEqual(info.elf, arch.elf, arch.debian);
    assert.equal(info.qemuCpu, qemuCpuFor(arch.debian));
  }
});

test('an architecture qemu emulates but the arch table lacks is a KpkgError naming the supported ones', () => {
  assert.equal(qemuCpuFor('powerpc'), 'ppc');
  assert.throws(
    () => debianArchInfo('powerpc'),
    (e: unknown) => isKpkgError(e) && /'powerpc'/.test(e.message) && (e.hint ?? '').includes('ppc64el'),
  );
  // Other names of an arch-table row are not Debian architecture names.
  assert.throws(
    () => debianArchInfo('aarch64'),
    (e: unknown) => isKpkgError(e) && /unknown Debian architecture 'aarch64'/.test(e.message),
  );
  assert.throws(
    () => debianArchInfo('arm'),
    (e: unknown) => isKpkgError(e) && /'arm'/.test(e.message),
  );
});

test('native architectures of the host', () => {
  assert.deepEqual(nativeDebianArches('x64', 'LE'), ['amd64', 'i386']);
  assert.deepEqual(nativeDebianArches('arm64', 'LE'), ['arm64']);
  assert.deepEqual(nativeDebianArches('arm', 'LE'), ['armhf']);
  assert.deepEqual(nativeDebianArches('ppc64', 'LE'), ['ppc64el']);
  assert.deepEqual(nativeDebianArches('ppc64', 'BE'), ['ppc64']);
  assert.deepEqual(nativeDebianArches('sparc', 'BE'), []);
});

test('Debian architectures without a row keep their qemu-user CPU for binfmt', () => {
  assert.equal(qemuCpuFor('sh4'), 'sh4');
  assert.equal(qemuCpuFor('mipsel'), 'mipsel');
  assert.throws(
    () => debianArchInfo('sh4'),
    (e: unknown) => isKpkgError(e) && /no ELF identity/.test(e.message),
  );
});
