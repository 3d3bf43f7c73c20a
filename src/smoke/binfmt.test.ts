import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import { isKpkgError } from '../util/errors.js';
import { ensureBinfmt, parseBinfmtConf, parseBinfmtHandler } from './binfmt.js';

test("parses Debian's qemu-aarch64 binfmt.d rule", () => {
  const line = String.raw`:qemu-aarch64:M::\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/libexec/qemu-binfmt/aarch64-binfmt-P:OPF`;
  const rule = parseBinfmtConf(`# comment\n; another\n\n${line}\n`);
  assert.deepEqual(rule, { name: 'qemu-aarch64', interpreter: '/usr/libexec/qemu-binfmt/aarch64-binfmt-P', flags: 'OPF', line });
  assert.equal(parseBinfmtConf('# nothing\n'), undefined);
  assert.equal(parseBinfmtConf(':too:short:\n'), undefined);
});

test('parses a registered handler', () => {
  const state = parseBinfmtHandler('enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: POF\noffset 0\nmagic 7f454c46\n');
  assert.deepEqual(state, { enabled: true, interpreter: '/usr/libexec/qemu-binfmt/aarch64-binfmt-P', flags: 'POF' });
  assert.equal(parseBinfmtHandler('disabled\nflags: \n').enabled, false);
});

test('ensureBinfmt registers qemu-aarch64 with the F flag, idempotently', async () => {
  assert.equal(await ensureBinfmt('arm64'), 'qemu-aarch64');
  assert.equal(await ensureBinfmt('arm64'), 'qemu-aarch64');
  const [a, b] = await Promise.all([ensureBinfmt('armhf'), ensureBinfmt('armhf')]);
  assert.equal(a, 'qemu-arm');
  assert.equal(b, 'qemu-arm');
  const state = parseBinfmtHandler(await readFile('/proc/sys/fs/binfmt_misc/qemu-aarch64', 'utf8'));
  assert.equal(state.enabled, true);
  assert.match(state.flags, /F/);
});

test('a native architecture needs no handler', async () => {
  assert.equal(await ensureBinfmt('amd64'), process.arch === 'x64' ? undefined : 'qemu-x86_64');
});

const CROSS_GCC: Readonly<Record<string, string>> = {
  arm64: 'aarch64-linux-gnu-gcc',
  armhf: 'arm-linux-gnueabihf-gcc',
  ppc64el: 'powerpc64le-linux-gnu-gcc',
  riscv64: 'riscv64-linux-gnu-gcc',
};

test('after ensureBinfmt, static binaries of every target architecture run here', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-binfmt-'));
  try {
    await writeFile(join(dir, 'hello.c'), '#include <stdio.h>\nint main(void) { puts("hello from the target"); return 0; }\n');
    for (const [arch, gcc] of Object.entries(CROSS_GCC)) {
      await ensureBinfmt(arch);
      const exe = join(dir, `hello-${arch}`);
      await execa(gcc, ['-static', '-o', exe, join(dir, 'hello.c')]).catch((e: unknown) => {
        throw new Error(`${gcc} failed; fix: apt-get install gcc-${gcc.replace(/-gcc$/, '')} libc6-dev-${arch}-cross`, { cause: e });
      });
      assert.equal((await execa(exe)).stdout, 'hello from the target', arch);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a missing rule or interpreter is a KpkgError naming qemu-user-static', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-binfmt-conf-'));
  try {
    await assert.rejects(ensureBinfmt('sh4', dir), (e: unknown) =>
      isKpkgError(e) && e.message.includes(`${dir}/qemu-sh4.conf is missing`) && e.hint === 'apt-get install qemu-user-static binfmt-support');
    const rule = (await readFile('/usr/lib/binfmt.d/qemu-sh4.conf', 'utf8')).replace('/usr/libexec/qemu-binfmt/sh4-binfmt-P', '/nonexistent/qemu-sh4');
    await writeFile(join(dir, 'qemu-sh4.conf'), rule);
    await assert.rejects(ensureBinfmt('sh4', dir), (e: unknown) =>
      isKpkgError(e) && e.message.includes('/nonexistent/qemu-sh4 is missing') && e.hint === 'apt-get install --reinstall qemu-user-static');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
