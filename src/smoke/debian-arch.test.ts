import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isKpkgError } from '../util/errors.js';
import { debianArchInfo, defaultSuiteFor, nativeDebianArches, qemuCpuFor } from './debian-arch.js';

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
      throw new Error(`no /usr/lib/binfmt.d/qemu-${qemuCpuFor(arch)}.conf; fix: apt-get install qemu-user-static`, { cause: e });
    });
  }
});

test('an unknown architecture is a KpkgError that lists the known ones', () => {
  assert.throws(
    () => qemuCpuFor('aarch64'),
    (e: unknown) => isKpkgError(e) && /unknown Debian architecture 'aarch64'/.test(e.message) && (e.hint ?? '').includes('arm64'),
  );
  assert.throws(() => qemuCpuFor('toString'), (e: unknown) => isKpkgError(e));
});

test('ELF identity of target binaries', () => {
  assert.deepEqual(debianArchInfo('arm64'), { qemuCpu: 'aarch64', elfMachine: 183, elfBits: 64, littleEndian: true });
  assert.equal(debianArchInfo('armhf').elfBits, 32);
  assert.equal(debianArchInfo('armhf').armFloat, 'hard');
  assert.equal(debianArchInfo('armel').armFloat, 'soft');
  assert.equal(debianArchInfo('ppc64el').littleEndian, true);
  assert.equal(debianArchInfo('riscv64').elfMachine, 243);
});

test('riscv64 defaults to trixie, the rest to bookworm', () => {
  assert.equal(defaultSuiteFor('riscv64'), 'trixie');
  assert.equal(defaultSuiteFor('arm64'), 'bookworm');
  assert.equal(defaultSuiteFor('armhf'), 'bookworm');
});

test('native architectures of the host', () => {
  assert.deepEqual(nativeDebianArches('x64'), ['amd64', 'i386']);
  assert.deepEqual(nativeDebianArches('arm64'), ['arm64']);
  assert.deepEqual(nativeDebianArches('sparc'), []);
});
