// binfmt_misc for real (not in test:unit): registering the qemu handlers needs root, and
// static binaries from every cross compiler then run here. The parsers are in binfmt.test.ts.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import { ensureBinfmt, parseBinfmtHandler } from './binfmt.js';

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

const CROSS_GCC: Readonly<Record<string, string>> = {
  arm64: 'aarch64-linux-gnu-gcc',
  armhf: 'arm-linux-gnueabihf-gcc',
  ppc64el: 'powerpc64le-linux-gnu-gcc',
  riscv64: 'riscv64-linux-gnu-gcc',
};

test('after ensureBinfmt, static binaries of every target architecture run here', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-binfmt-'));
  try {
    await writeFile(
      join(dir, 'hello.c'),
      '#include <stdio.h>\nint main(void) { puts("hello from the target"); return 0; }\n',
    );
    for (const [arch, gcc] of Object.entries(CROSS_GCC)) {
      await ensureBinfmt(arch);
      const exe = join(dir, `hello-${arch}`);
      await execa(gcc, ['-static', '-o', exe, join(dir, 'hello.c')]).catch((e: unknown) => {
        throw new Error(`${gcc} failed; fix: apt-get install gcc-${gcc.replace(/-gcc$/, '')} libc6-dev-${arch}-cross`, {
          cause: e,
        });
      });
      assert.equal((await execa(exe)).stdout, 'hello from the target', arch);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
