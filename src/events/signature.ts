// Stripe's webhook signature scheme: `Stripe-Signature: t=<unix>,v1=<hex>`,
// the HMAC-SHA256 of `<t>.<payload>` keyed with the whole `whsec_...` secret.
// Every way an event leaves Kassa signs with it: webhook deliveries and listeners.
import { createHmac } from 'node:crypto';

export function signatureHeader(payload: string, secret: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}
