import assert from 'node:assert/strict';
import { test } from 'node:test';
import { relationText } from './headers-relations.js';

test('relations as the result lists them: a name, a versioned name, alternatives', () => {
  assert.equal(relationText({ name: 'libc6' }), 'libc6');
  assert.equal(relationText({ name: 'libc6', version: { op: '>=', version: '2.36' } }), 'libc6 (>= 2.36)');
  assert.equal(
    relationText([{ name: 'libssl3' }, { name: 'libssl3t64', version: { op: '>=', version: '3.0.0' } }]),
    'libssl3 | libssl3t64 (>= 3.0.0)',
  );
});
