import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { CrossBuildDir, GCC_TOOLCHAINS } from '../testing/cross-binaries.js';
import { MemberCollector } from './collect.js';

function* chunks(data: Buffer, size: number): Generator<Buffer, void, undefined> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

async function* asAsync(parts: Iterable<Buffer>): AsyncGenerator<Buffer, void, undefined> {
  for (const part of parts) yield await Promise.resolve(part);
}

const FAKE_KEY = `-----BEGIN PRIVATE KEY-----\n${'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg'.repeat(3)}\n-----END PRIVATE KEY-----\n`;

describe('MemberCollector: one pass over each body', () => {
  it('a big text file in small chunks: md5, host paths across chunk boundaries, a key at the end, kept text', async () => {
    const filler = Buffer.alloc(3 * 1024 * 1024 - 7, 'a');
    const data = Buffer.concat([filler, Buffer.from(' /home/alice/linux/scripts/x.c\n'), Buffer.from(FAKE_KEY)]);
    const collector = new MemberCollector('test', { md5: true });
    const member = await collector.add(
      { name: './usr/src/big.cmd', type: 'file', size: data.length, mode: 0o644 },
      asAsync(chunks(data, 1000)),
    );
    assert.equal(member?.md5, createHash('md5').update(data).digest('hex'));
    assert.deepEqual(member?.hostPaths, ['/home/alice/linux/scripts/x.c']);
    assert.equal(member?.privateKey, true);
    assert.equal(member?.isText, true);
    assert.equal(member?.elf, undefined);
  });

  it('ELF files, whole or streamed in 100-byte chunks, get the same header facts', async () => {
    const dir = await CrossBuildDir.create();
    try {
      const program = await readFile(await dir.compile(GCC_TOOLCHAINS.arm64, { kind: 'pie' }));
      const big = Buffer.concat([program, Buffer.alloc(2 * 1024 * 1024)]);
      for (const data of [program, big]) {
        const collector = new MemberCollector('test', { md5: false });
        const member = await collector.add(
          { name: 'usr/bin/x', type: 'file', size: data.length, mode: 0o755 },
          asAsync(chunks(data, 100)),
        );
        assert.equal(member?.elf?.kind, 'elf');
        if (member?.elf?.kind === 'elf')
          assert.deepEqual(
            [member.elf.elf.machineName, member.elf.elf.interpreter],
            ['AArch64', '/lib/ld-linux-aarch64.so.1'],
          );
        assert.equal(member?.isText, undefined);
        assert.equal(member?.md5, undefined);
      }
    } finally {
      await dir.remove();
    }
  });

  it('keeps the text of the files the checks read, and only those', async () => {
    const collector = new MemberCollector('test', { md5: false });
    const add = (name: string, text: string): ReturnType<MemberCollector['add']> =>
      collector.add({ name, type: 'file', size: Buffer.byteLength(text), mode: 0o644 }, asAsync([Buffer.from(text)]));
    assert.equal((await add('./t/include/config/auto.conf', 'CONFIG_X=y\n'))?.text, 'CONFIG_X=y\n');
    assert.equal((await add('./t/include/config/kernel.release', '6.1\n'))?.text, '6.1\n');
    assert.equal((await add('./t/Makefile', 'include /x/Makefile\n'))?.text, 'include /x/Makefile\n');
    assert.equal((await add('./t/include/linux/x.h', '#define X\n'))?.text, undefined);
  });

  it('records directories, symlinks and hard links without bodies', async () => {
    const collector = new MemberCollector('test', { md5: false });
    await collector.add({ name: './', type: 'dir', size: 0, mode: 0o755 });
    await collector.add({ name: './usr/', type: 'dir', size: 0, mode: 0o755 });
    await collector.add({ name: './usr/l', type: 'symlink', size: 0, mode: 0o777, link: '../x' });
    await collector.add({ name: './usr/h', type: 'hardlink', size: 0, mode: 0o644, link: './usr/f' });
    assert.deepEqual(
      collector.members.map((m) => [m.path, m.type, m.link]),
      [
        ['/usr', 'dir', undefined],
        ['/usr/l', 'symlink', '../x'],
        ['/usr/h', 'hardlink', '/usr/f'],
      ],
    );
  });
});
