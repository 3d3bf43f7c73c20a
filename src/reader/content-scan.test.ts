import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { containsPrivateKey, looksLikeText, scanText, treePrefixOf } from './content-scan.js';
import { tempDir, tool } from '../testing/verify-packages.js';

function hostPaths(text: string): string[] {
  const out = new Set<string>();
  scanText(Buffer.from(text), out, 100);
  return [...out];
}

describe('content scan', () => {
  it('finds a real PEM private key (openssl) in text and inside binary data', async () => {
    const dir = await tempDir();
    try {
      for (const algorithm of [
        ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'],
        ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
        ['-algorithm', 'ED25519'],
      ]) {
        await tool('openssl', ['genpkey', ...algorithm, '-out', join(dir, 'key.pem')]);
        const pem = await readFile(join(dir, 'key.pem'));
        assert.ok(containsPrivateKey(pem), algorithm.join(' '));
        assert.ok(
          scanText(Buffer.concat([Buffer.from('# config\n'), pem]), new Set(), 10),
          'found by the text scan too',
        );
        assert.ok(
          containsPrivateKey(Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0]), pem, Buffer.alloc(100)])),
        );
      }
      await tool('openssl', [
        'genrsa',
        '-traditional',
        '-aes128',
        '-passout',
        'pass:x',
        '-out',
        join(dir, 'enc.pem'),
        '1024',
      ]);
      assert.ok(
        containsPrivateKey(await readFile(join(dir, 'enc.pem'))),
        'legacy encrypted key with Proc-Type headers',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('does not take code that names the marker for a key', () => {
    assert.equal(
      containsPrivateKey(Buffer.from('if (strstr(buf, "-----BEGIN PRIVATE KEY-----") != NULL)\n\treturn 1;\n')),
      false,
    );
    assert.equal(containsPrivateKey(Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB' + 'A'.repeat(200) + '\n')), false);
  });

  it('tells text from binary by a NUL byte in the first 8 KiB, and ELF is never text', () => {
    assert.ok(looksLikeText(Buffer.from('obj-m += hello.o\n')));
    assert.equal(looksLikeText(Buffer.from([0x41, 0, 0x42])), false);
    assert.equal(looksLikeText(Buffer.from('\x7fELF and then text')), false);
  });

  it('finds home directory and build-tree paths, with compiler options and quotes around them', () => {
    const text = [
      'cmd_scripts/mod/devicetable-offsets.s := gcc -Wp,-MMD,x.d -I/home/alice/linux/include -Iinclude',
      '  /root/.cache/kpkg/sources/linux-6.1/scripts/mod/devicetable-offsets.c \\',
      'source_x := "/srv/build/linux-6.1/arch/arm64/kernel/vdso/gen.sh"',
      'deps := /builds/ci/linux/include/generated/autoconf.h',
    ].join('\n');
    assert.deepEqual(hostPaths(text).sort(), [
      '/builds/ci/linux/include/generated/autoconf.h',
      '/home/alice/linux/include',
      '/root/.cache/kpkg/sources/linux-6.1/scripts/mod/devicetable-offsets.c',
      '/srv/build/linux-6.1/arch/arm64/kernel/vdso/gen.sh',
    ]);
  });

  it('leaves alone paths under make variables, relative paths and system locations', () => {
    const text = [
      'KBUILD_CFLAGS += -I$(srctree)/arch/arm/include/asm/unified.h',
      'include ${objtree}/include/config/auto.conf',
      'see arch/x86/include/asm/page.h and Documentation/arch/arm64/booting.rst',
      'include /usr/src/linux-headers-6.1.0-56-common/Makefile',
      'CFLAGS += -I/usr/lib/gcc/aarch64-linux-gnu/12/plugin/include',
      'mkdir /root',
      'cd /home/',
      'exec 2>/dev/null; PATH=/usr/bin:/bin',
    ].join('\n');
    assert.deepEqual(hostPaths(text), []);
  });

  it('the tree prefix of a path is what comes before its first kernel tree directory', () => {
    assert.equal(treePrefixOf('/srv/linux/scripts/mod/modpost.c'), '/srv/linux');
    assert.equal(treePrefixOf('/srv/linux/arch/arm64/include/asm/x.h'), '/srv/linux');
    assert.equal(treePrefixOf('/usr/src/linux/include/linux/x.h'), undefined);
    assert.equal(treePrefixOf('/arch/arm64/Makefile'), undefined);
  });
});
