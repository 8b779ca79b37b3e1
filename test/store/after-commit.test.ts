// Wake-ups registered in a transaction run once it has committed, and never
// for a transaction that rolled back.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openStore, type Store } from '../../src/store/store.js';
import { describeEachStore } from '../support/each-store.js';
import { MIGRATIONS } from '../../src/schema.js';

describeEachStore('afterCommit', (target) => {
  let store: Store;
  before(async () => {
    store = await openStore(await target.config(), MIGRATIONS);
  });
  after(() => store.close());

  test('runs after COMMIT, when the transaction has resolved', async () => {
    const calls: string[] = [];
    const result = await store.transaction(async (tx) => {
      tx.afterCommit(() => calls.push('committed'));
      calls.push('in transaction');
      return 'done';
    });
    calls.push(result);
    assert.deepEqual(calls, ['in transaction', 'committed', 'done']);
  });

  test('never runs when the transaction rolls back', async () => {
    const calls: string[] = [];
    await assert.rejects(
      store.transaction(async (tx) => {
        tx.afterCommit(() => calls.push('committed'));
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(calls, []);
  });

  test('a throwing callback does not fail the committed transaction', async () => {
    const value = await store.transaction(async (tx) => {
      tx.afterCommit(() => {
        throw new Error('listener bug');
      });
      return 42;
    });
    assert.equal(value, 42);
  });
});
