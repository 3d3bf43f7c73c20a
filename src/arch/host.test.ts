import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endianness } from 'node:os';
import { archesForElf } from './arch-table.js';
import { archForNode, hostArch, hostIdentity } from './host.js';
import { readElfFile } from '../elf/elf.js';
import { identityOf, sameIdentity } from '../elf/identity.js';

void describe('host architecture', () => {
  void it('maps Node.js process.arch values', () => {
    const map = (arch: string, order: 'BE' | 'LE', float?: string): string | undefined =>
      archForNode(arch, order, float)?.debian;
    assert.equal(map('x64', 'LE'), 'amd64');
    assert.equal(map('ia32', 'LE'), 'i386');
    assert.equal(map('arm64', 'LE'), 'arm64');
    assert.equal(map('arm', 'LE', 'hard'), 'armhf');
    assert.equal(map('arm', 'LE'), 'armhf');
    assert.equal(map('arm', 'LE', 'soft'), 'armel');
    assert.equal(map('riscv64', 'LE'), 'riscv64');
    assert.equal(map('ppc64', 'LE'), 'ppc64el');
    assert.equal(map('ppc64', 'BE'), 'ppc64');
    assert.equal(map('s390x', 'BE'), 's390x');
    assert.equal(map('loong64', 'LE'), 'loong64');
    assert.equal(map('mips64el', 'LE'), 'mips64el');
    assert.equal(map('sparc', 'BE'), undefined);
  });

  void it('hostArch is the row of the running node binary', async () => {
    const host = hostArch();
    assert.equal(host.debian, archForNode(process.arch, endianness(), host.elf.armFloat)?.debian);
    const node = await readElfFile(process.execPath);
    if (node.kind !== 'elf') throw new Error(`node is not an ELF: ${JSON.stringify(node)}`);
    assert.ok(archesForElf(identityOf(node.elf)).includes(host));
    assert.equal(node.elf.interpreter, host.dynamicLoader);
  });

  void it('hostIdentity is the identity of the running node', async () => {
    const node = await readElfFile(process.execPath);
    if (node.kind !== 'elf') throw new Error(`node is not an ELF: ${JSON.stringify(node)}`);
    assert.ok(sameIdentity(hostIdentity(), identityOf(node.elf)));
    assert.deepEqual(hostIdentity(), hostArch().elf);
  });

  void it('rows sharing process.arch are told apart by byte order and float ABI', () => {
    assert.equal(archForNode('arm64', 'BE'), undefined);
    assert.equal(archForNode('arm', 'LE', 'softfp')?.debian, 'armel');
    assert.equal(archForNode('arm', 'BE', 'hard'), undefined);
  });
});
