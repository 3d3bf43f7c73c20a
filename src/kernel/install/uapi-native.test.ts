import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { noExportHeaders, rewriteLine } from './uapi-native.js';

test('rewriteLine: kernel annotations go, keywords get their __x__ spelling, _UAPI guards lose the prefix', () => {
  assert.equal(rewriteLine('int f(char __user *p, void __iomem *q);'), 'int f(char *p, void *q);');
  assert.equal(
    rewriteLine('static inline int x(void) __attribute_const__;'),
    'static __inline__ int x(void) __attribute_const__;',
  );
  assert.equal(rewriteLine('int g(void) __attribute_const__ ;'), 'int g(void)  ;');
  assert.equal(rewriteLine('#include <linux/compiler.h>'), '');
  assert.equal(rewriteLine('#include <linux/compiler_types.h>'), '');
  assert.equal(rewriteLine('struct s { int a; } __packed;'), 'struct s { int a; } __attribute__((packed));');
  assert.equal(rewriteLine('asm volatile("nop");'), '__asm__ volatile("nop");');
  assert.equal(rewriteLine('#ifndef _UAPI_LINUX_X_H'), '#ifndef _LINUX_X_H');
  assert.equal(rewriteLine('#endif /* _UAPI_LINUX_X_H */'), '#endif /* _LINUX_X_H */');
  // Matches consume their delimiter, as sed's do: the second of two adjacent ones stays (checked with GNU sed).
  assert.equal(rewriteLine('__packed __packed'), '__attribute__((packed)) __packed');
  assert.equal(rewriteLine('inline_fn(); volatile_x;'), 'inline_fn(); volatile_x;');
});

test('noExportHeaders: the ifeq ($(wildcard …),) blocks of include/uapi/Kbuild', async () => {
  const root = await mkdtemp(join(tmpdir(), 'kpkg-kbuild-'));
  try {
    await mkdir(join(root, 'arch/arm64/include/uapi/asm'), { recursive: true });
    await writeFile(join(root, 'arch/arm64/include/uapi/asm/kvm.h'), '');
    const text = [
      '# comment',
      'ifeq ($(wildcard $(srctree)/arch/$(SRCARCH)/include/uapi/asm/a.out.h),)',
      'no-export-headers += linux/a.out.h',
      'endif',
      'ifeq ($(wildcard $(srctree)/arch/$(SRCARCH)/include/uapi/asm/kvm.h),)',
      'no-export-headers += linux/kvm.h',
      'endif',
      'ifneq ($(SRCARCH),x86)',
      'no-export-headers += asm/x.h',
      'else',
      'no-export-headers += asm/y.h',
      'endif',
    ].join('\n');
    assert.deepEqual([...(await noExportHeaders(text, { srctree: root, objtree: root, SRCARCH: 'arm64' }))].sort(), [
      'asm/x.h',
      'linux/a.out.h',
    ]);
    await assert.rejects(noExportHeaders('header-y += foo.h', { srctree: root, objtree: root, SRCARCH: 'arm64' }));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
