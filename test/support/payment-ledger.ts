// Where money moved, through the API, for tests that prove nothing was
// charged twice or lost: intents, charges, balance transactions, events.
import type Stripe from 'stripe';

export interface IntentRecord {
  intent: Stripe.PaymentIntent;
  charges: Stripe.Charge[];
  /** Balance transactions whose source is one of the intent's charges. */
  balanceTransactions: Stripe.BalanceTransaction[];
  /** Events about the intent or its charges, oldest first. */
  events: Stripe.Event[];
}

export class PaymentLedger {
  constructor(readonly stripe: Stripe) {}

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
    return this.stripe.balanceTransactions.list({ limit: 100, ...filter }).autoPagingToArray({ limit: 10_000 });
  }

  /** Everything recorded about one intent. */
  async intent(id: string): Promise<IntentRecord> {
    const intent = await this.stripe.paymentIntents.retrieve(id);
    const charges = await this.charges({ payment_intent: id });
    const balanceTransactions = (
      await Promise.all(charges.map((c) => this.balanceTransactions({ source: c.id })))
    ).flat();
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
