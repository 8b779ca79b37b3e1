import { after, describe } from 'node:test';
import { dropTestSchemas, storeTargets, type StoreTarget } from './stores.js';

const targets = await storeTargets();
after(() => dropTestSchemas());

/** Declares the suite once per store (SQLite, PostgreSQL). */
export function describeEachStore(name: string, suite: (target: StoreTarget) => void): void {
  for (const target of targets) {
    describe(`${name} [${target.name}]`, { skip: target.skip }, () => suite(target));
  }
}
