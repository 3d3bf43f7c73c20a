import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dependenciesOutside, type DebControl } from './deb-depends.js';

const control = (fields: Partial<DebControl> & { package: string }): DebControl => ({
  depends: '',
  preDepends: '',
  provides: '',
  ...fields,
});

test("Debian's headers trio needs only what is outside the trio", () => {
  const debs = [
    control({
      package: 'linux-headers-6.1.0-56-arm64',
      depends: 'linux-headers-6.1.0-56-common (= 6.1.192-2), linux-kbuild-6.1 (>= 6.1.192-2), gcc-12',
    }),
    control({ package: 'linux-headers-6.1.0-56-common' }),
    control({ package: 'linux-kbuild-6.1', depends: 'libc6 (>= 2.34), libelf1 (>= 0.142), libssl3 (>= 3.0.0)' }),
  ];
  assert.deepEqual(dependenciesOutside(debs), ['gcc-12', 'libc6', 'libelf1', 'libssl3']);
});

test('alternatives: satisfied by a deb, else the first one; arch qualifiers and Pre-Depends', () => {
  const debs = [
    control({ package: 'a', depends: 'b | c, d:any (>= 1) | e, libfoo1 [arm64]', preDepends: 'dpkg (>= 1.19)' }),
    control({ package: 'c', provides: 'virtual-x (= 1)' }),
    control({ package: 'f', depends: 'virtual-x' }),
  ];
  assert.deepEqual(dependenciesOutside(debs), ['d', 'dpkg', 'libfoo1']);
});

test('no Depends at all', () => {
  assert.deepEqual(dependenciesOutside([control({ package: 'linux-headers-6.12.0' })]), []);
});
