// API key -> account. Secret keys may do everything; publishable keys only
// what Stripe.js may do (routes say which).
import type { IncomingHttpHeaders } from 'node:http';
import { hashKey, keyKind, maskKey, type KeyKind } from '../accounts/keys.js';
import type { Queries } from '../store/store.js';
import { authenticationError } from './errors.js';
import { findKey } from '../accounts/account-store.js';

export interface Auth {
  accountId: string;
  kind: KeyKind;
  /** Identifies the key (its digest) for scoping idempotency keys. */
  keyId: string;
}

const NO_KEY =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";

/** The key from `Authorization: Bearer`, HTTP Basic (key as user name), or a `key` body parameter. */
export function presentedKey(headers: IncomingHttpHeaders, bodyKey: unknown): string | undefined {
  const header = headers.authorization;
  if (header) {
    const [scheme, value = ''] = header.trim().split(/\s+/, 2);
    if (/^bearer$/i.test(scheme)) return value;
    if (/^basic$/i.test(scheme)) return Buffer.from(value, 'base64').toString('utf8').split(':')[0];
    return header.trim();
  }
  return typeof bodyKey === 'string' && bodyKey !== '' ? bodyKey : undefined;
}

export class KeyResolver {
  // Only keys that exist are cached, so an account created by another
  // process (or `kassa accounts create`) is seen at once.
  private readonly cache = new Map<string, Auth>();

  constructor(private readonly db: Queries) {}

  async resolve(key: string | undefined): Promise<Auth> {
    if (!key) throw authenticationError(NO_KEY);
    // Keyed by the key itself, so that a known key costs no SHA-256 per request.
    const cached = this.cache.get(key);
    if (cached) return cached;
    const hash = hashKey(key);
    const kind = keyKind(key);
    const row = kind ? await findKey(this.db, hash) : undefined;
    if (!row || !kind) throw authenticationError(`Invalid API Key provided: ${maskKey(key)}`);
    const auth: Auth = { accountId: row.accountId, kind: row.kind, keyId: hash.slice(0, 32) };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, auth);
    return auth;
  }
}
