import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAMILIES } from '../families/families.js';
import { FAMILY_IDS } from '../package/family.js';
import { writeTinyPackage } from '../testing/family-packages.js';
import { tempDir } from '../testing/verify-packages.js';
import { installerFor, installerOf } from './detect.js';

describe('smoke takes its installers from the families table', () => {
  it('every family has an installer, and it installs that family', () => {
    for (const id of FAMILY_IDS) assert.equal(installerOf(id).format, id);
  });

  for (const id of FAMILY_IDS) {
    it(`${id}: a package its family's writer writes gets its family's installer`, async () => {
      const file = await writeTinyPackage(FAMILIES[id].packager, await tempDir('kpkg-detect-'));
      assert.equal(await installerFor([file]), FAMILIES[id].smokeInstaller);
    });
  }
});
