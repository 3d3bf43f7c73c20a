import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installedClosure, parseDpkgStatus } from './dpkg-database.js';

const STATUS = `Package: make
Status: install ok installed
Architecture: amd64
Version: 4.3-4.1
Depends: libc6 (>= 2.34)

Package: gcc-12-aarch64-linux-gnu
Status: install ok installed
Architecture: amd64
Version: 12.2.0-14cross1
Depends: cpp-12-aarch64-linux-gnu (= 12.2.0-14cross1), binutils-aarch64-linux-gnu (>= 2.40) | binutils-aarch64-linux-gnu-alt,
 libc6:any (>= 2.36)
Description: GNU C compiler
 long text: with a colon

Package: cpp-12-aarch64-linux-gnu
Status: install ok installed
Architecture: amd64
Version: 12.2.0-14cross1

Package: binutils-aarch64-linux-gnu
Status: install ok installed
Architecture: amd64
Version: 2.40-2
Provides: binutils-aarch64-linux-gnu-alt

Package: libc6
Status: install ok installed
Architecture: amd64
Version: 2.36-9+deb12u13
Pre-Depends: libgcc-s1

Package: libgcc-s1
Status: install ok installed
Architecture: amd64
Version: 12.2.0-14

Package: dash
Status: install ok installed
Essential: yes
Architecture: amd64
Version: 0.5.12-2

Package: removed-one
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0

Package: unrelated
Status: install ok installed
Architecture: amd64
Version: 1.0
`;

test('the closure of installed packages: essential ones, the roots and their (pre-)dependencies, providers of virtual names', () => {
  const installed = parseDpkgStatus(STATUS);
  assert.equal(installed.length, 8, 'a package with config files only is not installed');
  const closure = installedClosure(installed, ['gcc-12-aarch64-linux-gnu', 'not-installed']).map(
    (p) => `${p.name} ${p.version}`,
  );
  assert.deepEqual(closure, [
    'binutils-aarch64-linux-gnu 2.40-2',
    'cpp-12-aarch64-linux-gnu 12.2.0-14cross1',
    'dash 0.5.12-2',
    'gcc-12-aarch64-linux-gnu 12.2.0-14cross1',
    'libc6 2.36-9+deb12u13',
    'libgcc-s1 12.2.0-14',
  ]);
});
