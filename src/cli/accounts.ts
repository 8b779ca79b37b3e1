import { createAccount } from '../accounts/accounts.js';
import { loadConfig } from '../config.js';
import { systemClock } from '../server/clock.js';
import { openStore } from '../store/store.js';
import { listAccounts } from '../accounts/account-store.js';
import { MIGRATIONS } from '../schema.js';

export async function runAccounts(sub: string | undefined, options: { json: boolean }): Promise<number> {
  const config = loadConfig();
  const store = await openStore(config.store, MIGRATIONS);
  try {
    if (sub === 'create') {
      const account = await createAccount(store, { now: systemClock.now() });
      if (options.json) console.log(JSON.stringify(account));
      else
        console.log(
          `${account.id}\n  secret key:      ${account.secret_key}\n  publishable key: ${account.publishable_key}`,
        );
      return 0;
    }
    if (sub === 'list') {
      const accounts = await listAccounts(store.read);
      if (options.json) {
        console.log(
          JSON.stringify(
            accounts.map((a) => ({
              id: a.id,
              created: a.created,
              default: a.isDefault,
              keys: a.keys.map((k) => k.masked),
            })),
          ),
        );
      } else {
        for (const a of accounts) {
          console.log(
            `${a.id}${a.isDefault ? ' (default)' : ''}  created ${new Date(a.created * 1000).toISOString()}  ${a.keys.map((k) => k.masked).join('  ')}`,
          );
        }
      }
      return 0;
    }
    console.error("kassa accounts: use 'create' or 'list'");
    return 1;
  } finally {
    await store.close();
  }
}
