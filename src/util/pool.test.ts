import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapLimit, settledOrFirstError, Slots } from './pool.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('mapLimit keeps the input order and never runs more than the limit at once', async () => {
  let running = 0;
  let most = 0;
  const delays = [5, 1, 4, 2, 3, 0, 2];
  const results = await mapLimit(delays, 3, async (delay, index) => {
    running++;
    most = Math.max(most, running);
    for (let i = 0; i < delay; i++) await tick();
    running--;
    return `${index}:${delay}`;
  });
  assert.deepEqual(results, ['0:5', '1:1', '2:4', '3:2', '4:3', '5:0', '6:2']);
  assert.equal(most, 3);
});

test('mapLimit of nothing is nothing, and a limit below one still runs', async () => {
  assert.deepEqual(await mapLimit([], 4, () => Promise.resolve(1)), []);
  assert.deepEqual(await mapLimit([1, 2], 0, (n) => Promise.resolve(n * 2)), [2, 4]);
});

test('Slots runs at most its size at a time and lets the waiting in first come, first served', async () => {
  const slots = new Slots(2);
  const started: number[] = [];
  let running = 0;
  let most = 0;
  const task = (n: number) => async (): Promise<number> => {
    started.push(n);
    running++;
    most = Math.max(most, running);
    for (let i = 0; i < 3; i++) await tick();
    running--;
    return n;
  };
  const results = await Promise.all([1, 2, 3, 4, 5].map((n) => slots.run(task(n))));
  assert.deepEqual(results, [1, 2, 3, 4, 5]);
  assert.deepEqual(started, [1, 2, 3, 4, 5]);
  assert.equal(most, 2);
});

test('a failed task gives its slot back', async () => {
  const slots = new Slots(1);
  await assert.rejects(
    slots.run(() => Promise.reject(new Error('boom'))),
    /boom/,
  );
  assert.equal(await slots.run(() => Promise.resolve('next')), 'next');
});

test('settledOrFirstError waits for every promise, then rejects with the first failure in the order given', async () => {
  let lateFinished = false;
  const late = (async (): Promise<number> => {
    for (let i = 0; i < 5; i++) await tick();
    lateFinished = true;
    return 3;
  })();
  const promises = [Promise.resolve(1), late, Promise.reject(new Error('second')), Promise.reject(new Error('third'))];
  await assert.rejects(settledOrFirstError(promises), /second/);
  assert.equal(lateFinished, true);
  assert.deepEqual(await settledOrFirstError([Promise.resolve(1), Promise.resolve(2)]), [1, 2]);
});

test('mapLimit after a failure starts nothing more and waits for what runs before it rejects with that failure', async () => {
  const started: number[] = [];
  let running = 0;
  let runningAtRejection = -1;
  const work = mapLimit([0, 1, 2, 3, 4, 5], 2, async (item) => {
    started.push(item);
    running++;
    try {
      await new Promise((resolve) => setTimeout(resolve, item === 0 ? 5 : 30));
      if (item === 0) throw new Error('item 0 failed');
      return item;
    } finally {
      running--;
    }
  });
  await assert.rejects(
    work.finally(() => (runningAtRejection = running)),
    /item 0 failed/,
  );
  assert.equal(runningAtRejection, 0, 'item 1, running when item 0 failed, was waited for');
  assert.deepEqual(started, [0, 1]);
});
