import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newestSeries } from './kernel-source.js';

test('the newest linux-source series is picked by number, not by text, and other packages are ignored', () => {
  assert.equal(
    newestSeries(['linux-source-6.9', 'linux-source-6.12', 'linux-source-7.2', 'linux-source-7.10', 'linux-source']),
    '7.10',
  );
  assert.equal(newestSeries(['linux-source-6.1', 'linux-source-6.12-rt', 'linux-source-6.12.1']), '6.1');
  assert.equal(newestSeries(['linux-source']), undefined);
});
