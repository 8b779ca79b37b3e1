// Stripe's webhook signature scheme: `Stripe-Signature: t=<unix>,v1=<hex>`,
// the HMAC-SHA256 of `<t>.<payload>` keyed with the whole `whsec_...` secret.
import { createHmac } from 'node:crypto';

export function signatureHeader(payload: string, secret: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}
