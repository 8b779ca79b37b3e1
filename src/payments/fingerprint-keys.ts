// An account's card fingerprint key never changes once made, so the key as
// committed is read once per app: asking the network ahead of a transaction
// (network-ahead.ts) would otherwise read it on the reader connection for
// every card, which costs a write-heavy flow more than the question itself.
import { existingFingerprintKey } from '../accounts/account-store.js';
import type { Queries } from '../store/store.js';

export class FingerprintKeys {
  private readonly known = new Map<string, string>();

  /** The account's key as committed; undefined while it has none (its first card makes it, in a transaction). */
  async committed(read: Queries, accountId: string): Promise<string | undefined> {
    const known = this.known.get(accountId);
    if (known) return known;
    const key = await existingFingerprintKey(read, accountId);
    if (key) this.known.set(accountId, key);
    return key;
  }
}
