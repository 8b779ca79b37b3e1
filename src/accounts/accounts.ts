// Accounts own every object. Each has a test secret key and a test
// publishable key, stored hashed.
import type { Queries, Store } from '../store/store.js';
import { newId } from '../server/ids.js';
import { hashKey, keyKind, maskKey, newApiKey } from './keys.js';
import { defaultAccount, findKey, insertAccount, insertKey, listAccounts, lockAccounts } from './account-store.js';

/** Stripe's account ids: `acct_` and 16 characters. */
const ACCOUNT_ID_LENGTH = 16;

export interface CreatedAccount {
  id: string;
  secret_key: string;
  publishable_key: string;
}

export interface AccountOptions {
  isDefault?: boolean;
  secretKey?: string;
  publishableKey?: string;
  now: number;
}

export async function createAccount(store: Store, options: AccountOptions): Promise<CreatedAccount> {
  return store.transaction((tx) => makeAccount(tx, options));
}

async function makeAccount(tx: Queries, options: AccountOptions): Promise<CreatedAccount> {
  const secretKey = options.secretKey ?? newApiKey('secret');
  const publishableKey = options.publishableKey ?? newApiKey('publishable');
  if (keyKind(secretKey) !== 'secret') throw new Error('a secret key must start with sk_test_');
  if (keyKind(publishableKey) !== 'publishable') throw new Error('a publishable key must start with pk_test_');
  const id = newId('acct', ACCOUNT_ID_LENGTH);
  const doc = { id, object: 'account', created: options.now, livemode: false };
  await insertAccount(tx, {
    id,
    created: options.now,
    isDefault: options.isDefault ?? false,
    doc: JSON.stringify(doc),
  });
  for (const [kind, key] of [
    ['secret', secretKey],
    ['publishable', publishableKey],
  ] as const) {
    await insertKey(tx, { hash: hashKey(key), accountId: id, kind, masked: maskKey(key), created: options.now });
  }
  return { id, secret_key: secretKey, publishable_key: publishableKey };
}

export interface DefaultAccount {
  id: string;
  /** Present only when the keys were made or given now: stored keys cannot be read back. */
  keys?: { secret_key: string; publishable_key: string };
  masked: string[];
}

/**
 * The account `kassa serve` creates on first start. Keys given by
 * KASSA_SECRET_KEY / KASSA_PUBLISHABLE_KEY are added to it if it lacks them.
 */
export async function ensureDefaultAccount(
  store: Store,
  options: { secretKey?: string; publishableKey?: string; now: number },
): Promise<DefaultAccount> {
  // One transaction that excludes other processes' account writes: servers
  // started together on an empty database would otherwise each make a default
  // account (or fail on the duplicate keys they were given).
  const outcome = await store.transaction(async (tx) => {
    await lockAccounts(tx);
    const existing = await defaultAccount(tx);
    if (!existing) return { created: await makeAccount(tx, { ...options, isDefault: true }) };
    for (const key of [options.secretKey, options.publishableKey]) {
      if (!key) continue;
      const kind = keyKind(key);
      if (!kind) throw new Error(`not a test API key: ${maskKey(key)}`);
      const found = await findKey(tx, hashKey(key));
      if (found && found.accountId !== existing.id)
        throw new Error(`${maskKey(key)} belongs to another account (${found.accountId})`);
      if (!found)
        await insertKey(tx, {
          hash: hashKey(key),
          accountId: existing.id,
          kind,
          masked: maskKey(key),
          created: options.now,
        });
    }
    return { existing };
  });
  if (outcome.created) {
    const created = outcome.created;
    return { id: created.id, keys: created, masked: [maskKey(created.secret_key), maskKey(created.publishable_key)] };
  }
  const existing = outcome.existing;
  const accounts = await listAccounts(store.read);
  const masked = accounts.find((a) => a.id === existing.id)?.keys.map((k) => k.masked) ?? [];
  const keys =
    options.secretKey && options.publishableKey
      ? { secret_key: options.secretKey, publishable_key: options.publishableKey }
      : undefined;
  return { id: existing.id, keys, masked };
}
