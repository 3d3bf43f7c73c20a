import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isKpkgError } from '../util/errors.js';
import { ensureBinfmt, parseBinfmtConf, parseBinfmtHandler } from './binfmt.js';

// Registering qemu handlers (as root) and running cross-built binaries through them are in
// binfmt.slow.test.ts.

test("parses Debian's qemu-aarch64 binfmt.d rule", () => {
  const line = String.raw`:qemu-aarch64:M::\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/libexec/qemu-binfmt/aarch64-binfmt-P:OPF`;
  const rule = parseBinfmtConf(`# comment\n; another\n\n${line}\n`);
  assert.deepEqual(rule, {
    name: 'qemu-aarch64',
    interpreter: '/usr/libexec/qemu-binfmt/aarch64-binfmt-P',
    flags: 'OPF',
    line,
  });
  assert.equal(parseBinfmtConf('# nothing\n'), undefined);
  assert.equal(parseBinfmtConf(':too:short:\n'), undefined);
});

test('parses a registered handler', () => {
  const state = parseBinfmtHandler(
    'enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: POF\noffset 0\nmagic 7f454c46\n',
  );
  assert.deepEqual(state, { enabled: true, interpreter: '/usr/libexec/qemu-binfmt/aarch64-binfmt-P', flags: 'POF' });
  assert.equal(parseBinfmtHandler('disabled\nflags: \n').enabled, false);
});

test('a native architecture needs no handler', async () => {
  assert.equal(await ensureBinfmt('amd64'), process.arch === 'x64' ? undefined : 'qemu-x86_64');
});

test('a missing rule or interpreter is a KpkgError naming qemu-user-static', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-binfmt-conf-'));
  try {
    await assert.rejects(
      ensureBinfmt('sh4', dir),
      (e: unknown) =>
        isKpkgError(e) &&
        e.message.includes(`${dir}/qemu-sh4.conf is missing`) &&
        e.hint === 'apt-get install qemu-user-static binfmt-support',
    );
    const rule = (await readFile('/usr/lib/binfmt.d/qemu-sh4.conf', 'utf8')).replace(
      '/usr/libexec/qemu-binfmt/sh4-binfmt-P',
      '/nonexistent/qemu-sh4',
    );
    await writeFile(join(dir, 'qemu-sh4.conf'), rule);
    await assert.rejects(
      ensureBinfmt('sh4', dir),
      (e: unknown) =>
        isKpkgError(e) &&
        e.message.includes('/nonexistent/qemu-sh4 is missing') &&
        e.hint === 'apt-get install --reinstall qemu-user-static',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
