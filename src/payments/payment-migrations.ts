// Migrations of the payments module's data (see store/migrate.ts). Its
// objects live in the foundation's objects table; these rewrite what it keeps
// in their private data.
import type { Migration } from '../store/migrate.js';

export const paymentMigrations: Migration[] = [
  {
    key: 'payments:001',
    name: 'card profiles: testCard becomes networkRef',
    // A card profile (CardProfile) is kept in the private JSON of its PaymentMethod
    // and of every charge made with it (refunds read the charge's). The JSON is
    // written by JSON.stringify, so the key appears as `"testCard":` exactly; a
    // string value holding those characters is stored escaped (`\"testCard\"`)
    // and does not match. replace() on text is the same on both engines.
    sql: () => `
      UPDATE objects SET private = replace(private, '"testCard":', '"networkRef":')
      WHERE type IN ('payment_method', 'charge') AND private LIKE '%"testCard":%'
    `,
  },
];
