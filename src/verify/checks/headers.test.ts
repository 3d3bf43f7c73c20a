import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReadPackage } from '../../reader/model.js';
import { verifyContext } from '../verify.js';
import { headersCheck } from './headers.js';

const TREE = '/usr/src/linux-headers-6.1.99-btf';

/** A headers tree of text members: every file a module build needs, plus `extra`. */
function headersPackage(config: string, extra: readonly string[] = []): ReadPackage {
  const files = [
    'Makefile',
    'Module.symvers',
    'include/config/kernel.release',
    'scripts/basic/fixdep',
    'scripts/mod/modpost',
    'arch/arm64/Makefile',
    ...extra,
  ];
  const text = (path: string): string => (path === 'include/config/kernel.release' ? '6.1.99-btf\n' : '');
  return {
    input: 'headers.tar',
    format: 'tar',
    name: 'headers',
    members: [
      { path: `${TREE}/include/config/auto.conf`, type: 'file', size: config.length, mode: 0o644, text: config },
      ...files.map((path) => ({
        path: `${TREE}/${path}`,
        type: 'file' as const,
        size: 0,
        mode: 0o644,
        text: text(path),
      })),
    ],
  };
}

const BTF = 'CONFIG_MODULES=y\nCONFIG_ARM64=y\nCONFIG_DEBUG_INFO_BTF_MODULES=y\n';

describe('the headers check: headers-incomplete and headers-btf-skipped from one look at each tree', () => {
  it('a complete tree passes; without BTF for modules, headers-btf-skipped does not apply', () => {
    const outcomes = headersCheck.run(verifyContext([headersPackage('CONFIG_MODULES=y\nCONFIG_ARM64=y\n')], 'arm64'));
    assert.deepEqual(outcomes['headers-incomplete'], {
      applicable: true,
      findings: [],
      note: `1 headers tree: ${TREE}`,
    });
    assert.deepEqual(outcomes['headers-btf-skipped'], {
      applicable: false,
      findings: [],
      note: 'no headers tree with CONFIG_DEBUG_INFO_BTF_MODULES',
    });
  });

  it('BTF for modules with vmlinux shipped but no resolve_btfids: the tree is incomplete', () => {
    const outcomes = headersCheck.run(verifyContext([headersPackage(BTF, ['vmlinux'])], 'arm64'));
    const missing = outcomes['headers-incomplete'].findings;
    assert.deepEqual(
      missing.map((f) => [f.check, f.severity, f.path]),
      [['headers-incomplete', 'error', `${TREE}/tools/bpf/resolve_btfids/resolve_btfids`]],
    );
    assert.match(missing[0]?.message ?? '', /vmlinux is shipped, so every module build runs it/);
    assert.deepEqual(outcomes['headers-btf-skipped'], { applicable: true, findings: [], note: undefined });
  });

  it('BTF for modules with neither vmlinux nor resolve_btfids: a note, the tree is complete', () => {
    const outcomes = headersCheck.run(verifyContext([headersPackage(BTF)], 'arm64'));
    assert.deepEqual(outcomes['headers-incomplete'].findings, []);
    assert.deepEqual(
      outcomes['headers-btf-skipped'].findings.map((f) => [f.severity, f.path]),
      [['info', TREE]],
    );
  });

  it('no headers tree: neither applies', () => {
    const outcomes = headersCheck.run(
      verifyContext([{ input: 'x.tar', format: 'tar', name: 'x', members: [] }], 'arm64'),
    );
    assert.equal(outcomes['headers-incomplete'].note, 'no headers tree in these packages');
    assert.equal(outcomes['headers-btf-skipped'].applicable, false);
  });
});
