// Where money moved, for tests that prove nothing was charged twice or lost:
// intents, charges and events through the API; balance transactions (which
// have no list route yet) straight from the store.
import type Stripe from 'stripe';
import { hashKey } from '../../src/accounts/keys.js';
import { openStore, type Store, type StoreConfig } from '../../src/store/store.js';

export interface IntentRecord {
  intent: Stripe.PaymentIntent;
  charges: Stripe.Charge[];
  /** Balance transactions whose source is one of the intent's charges. */
  balanceTransactions: Stripe.BalanceTransaction[];
  /** Events about the intent or its charges, oldest first. */
  events: Stripe.Event[];
}

export class PaymentLedger {
  constructor(
    readonly stripe: Stripe,
    private readonly store: Store,
    private readonly accountId: string,
  ) {}

  /** A ledger on the database of servers in other processes; `close()` it. */
  static async open(config: StoreConfig, secretKey: string, stripe: Stripe): Promise<PaymentLedger & { close(): Promise<void> }> {
    const store = await openStore(config);
    const key = await store.read.findKey(hashKey(secretKey));
    if (!key) throw new Error('the secret key is not in this database');
    return Object.assign(new PaymentLedger(stripe, store, key.accountId), { close: () => store.close() });
  }

  async intents(): Promise<Stripe.PaymentIntent[]> {
    return this.stripe.paymentIntents.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });
  }

  async charges(filter: { payment_intent?: string } = {}): Promise<Stripe.Charge[]> {
    return this.stripe.charges.list({ limit: 100, ...filter }).autoPagingToArray({ limit: 10_000 });
  }

  /** Payment events (payment_intent.*, charge.*), oldest first. */
  async events(): Promise<Stripe.Event[]> {
    const all = await this.stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });
    return all.filter((e) => /^(payment_intent|charge)\./.test(e.type)).reverse();
  }

  async balanceTransactions(filter: { source?: string } = {}): Promise<Stripe.BalanceTransaction[]> {
    const filters = filter.source ? [{ field: 'doc.source', op: '=' as const, value: filter.source }] : [];
    const found: Stripe.BalanceTransaction[] = [];
    let startingAfter: number | undefined;
    for (;;) {
      const rows = await this.store.read.list({ table: 'objects', accountId: this.accountId, type: 'balance_transaction', filters, limit: 100, startingAfter });
      found.push(...rows.slice(0, 100).map((row) => JSON.parse(row.doc) as Stripe.BalanceTransaction));
      if (rows.length <= 100) return found;
      startingAfter = rows[99].seq;
    }
  }

  /** Everything recorded about one intent. */
  async intent(id: string): Promise<IntentRecord> {
    const intent = await this.stripe.paymentIntents.retrieve(id);
    const charges = await this.charges({ payment_intent: id });
    const balanceTransactions = (await Promise.all(charges.map((c) => this.balanceTransactions({ source: c.id })))).flat();
    const events = (await this.events()).filter((e) => aboutIntent(e, id));
    return { intent, charges, balanceTransactions, events };
  }
}

export function aboutIntent(event: Stripe.Event, intentId: string): boolean {
  const object = event.data.object as { id?: string; object?: string; payment_intent?: string | null };
  return object.object === 'payment_intent' ? object.id === intentId : object.payment_intent === intentId;
}

export function countOf(events: Stripe.Event[], type: string): number {
  return events.filter((e) => e.type === type).length;
}
