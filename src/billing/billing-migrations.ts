// Migrations of the billing module's data (see store/migrate.ts). Its objects
// live in the foundation's objects table; these add the indexes its lists and
// rules read: a product's prices, and a price by its lookup key (unique per
// account, so that two writes cannot give one key to two prices).
import { docField } from '../store/dialect.js';
import type { Migration } from '../store/migrate.js';

export const billingMigrations: Migration[] = [
  {
    key: 'billing:001',
    name: "prices by product, and by lookup key (unique in an account's prices)",
    sql: (d) => `
      CREATE INDEX prices_by_product ON objects (account_id, ${docField(d, 'product')}, seq) WHERE type = 'price';
      CREATE UNIQUE INDEX prices_by_lookup_key ON objects (account_id, ${docField(d, 'lookup_key')}) WHERE type = 'price'
    `,
  },
];
