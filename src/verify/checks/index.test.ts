import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECK_IDS, type CheckId } from '../findings.js';
import type { ReadPackage } from '../../reader/model.js';
import { verifyContext } from '../verify.js';
import { VERIFY_CHECKS } from './index.js';

const empty: ReadPackage = { input: 'empty.tar', format: 'tar', name: 'empty', members: [] };

describe('the list of verify checks', () => {
  it('every id of findings.ts is reported by exactly one check', () => {
    const owners = new Map<CheckId, string[]>();
    for (const check of VERIFY_CHECKS)
      for (const id of check.ids) owners.set(id, [...(owners.get(id) ?? []), check.title]);
    for (const id of CHECK_IDS)
      assert.equal(owners.get(id)?.length, 1, `${id}: ${JSON.stringify(owners.get(id) ?? [])}`);
    assert.deepEqual(
      [...owners.keys()].filter((id) => !CHECK_IDS.includes(id)),
      [],
    );
  });

  it('each check gives an outcome for each of its ids, with findings of that id only', () => {
    const context = verifyContext([empty], 'arm64');
    for (const check of VERIFY_CHECKS) {
      const outcomes = check.run(context);
      assert.deepEqual(Object.keys(outcomes).sort(), [...check.ids].sort(), check.title);
      for (const id of check.ids)
        assert.deepEqual(
          outcomes[id]?.findings.filter((f) => f.check !== id),
          [],
          `${check.title}: ${id}`,
        );
    }
  });
});
