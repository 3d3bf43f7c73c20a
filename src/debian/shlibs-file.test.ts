import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseShlibs, shlibsDependency, splitSoname } from './shlibs-file.js';

const LIBC6_SHLIBS = `libc 6 libc6 (>= 2.36)
libm 6 libc6 (>= 2.36)
udeb: libc 6 libc6-udeb (>= 2.36)
`;

test('splitSoname: <name>.so.<version> and <name>-<version>.so', () => {
  assert.deepEqual(splitSoname('libz.so.1'), { name: 'libz', version: '1' });
  assert.deepEqual(splitSoname('libapt-pkg.so.6.0'), { name: 'libapt-pkg', version: '6.0' });
  assert.deepEqual(splitSoname('libdb-5.3.so'), { name: 'libdb', version: '5.3' });
  assert.equal(splitSoname('libmemusage.so'), undefined);
  assert.equal(splitSoname('libfoo-bar.so'), undefined, 'the version after the hyphen must start with a digit');
});

test('shlibs: untyped entries for debs, a deb: entry wins, udeb entries never count', () => {
  const entries = parseShlibs(
    `# comment\n${LIBC6_SHLIBS}libdb 5.3 libdb5.3\nlibx 1 libx1 (>= 1)\ndeb: libx 1 libx1 (>= 2)\nudeb: liby 1 liby-udeb\n`,
  );
  assert.equal(shlibsDependency(entries, 'libc.so.6'), 'libc6 (>= 2.36)');
  assert.equal(shlibsDependency(entries, 'libdb-5.3.so'), 'libdb5.3');
  assert.equal(shlibsDependency(entries, 'libx.so.1'), 'libx1 (>= 2)');
  assert.equal(shlibsDependency(entries, 'liby.so.1'), undefined);
  assert.equal(shlibsDependency(entries, 'libc.so.7'), undefined);
  assert.deepEqual(entries[2], { type: 'udeb', library: 'libc', soversion: '6', dependency: 'libc6-udeb (>= 2.36)' });
});

test('shlibs: comments, blank and one-word lines are skipped; the dependency keeps its inner blanks', () => {
  const entries = parseShlibs('#libz 1 zlib1g\n\n   \nlibbroken\n  libz 1   zlib1g (>= 1:1.2)  | libz-alt  \n');
  assert.deepEqual(entries, [
    { type: undefined, library: 'libz', soversion: '1', dependency: 'zlib1g (>= 1:1.2)  | libz-alt' },
  ]);
  assert.equal(shlibsDependency(entries, 'libmemusage.so'), undefined, 'a soname shlibs files cannot name');
});
