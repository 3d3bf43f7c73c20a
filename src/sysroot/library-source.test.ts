import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseLibrarySource } from './library-source.js';

test('how the target libraries are found: --sysroot, then multiarch, then what kpkg fetches', () => {
  const cases: [boolean, boolean, boolean, string][] = [
    // sysrootOption, multiarchReady, aptAvailable → source
    [true, true, true, 'option'],
    [true, false, false, 'option'],
    [false, true, true, 'multiarch'],
    [false, true, false, 'multiarch'],
    [false, false, true, 'fetched'],
    [false, false, false, 'unavailable'],
  ];
  for (const [sysrootOption, multiarchReady, aptAvailable, expected] of cases) {
    assert.equal(
      chooseLibrarySource({ sysrootOption, multiarchReady, aptAvailable }),
      expected,
      JSON.stringify({ sysrootOption, multiarchReady, aptAvailable }),
    );
  }
});
