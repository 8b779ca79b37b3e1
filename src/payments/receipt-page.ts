// The page behind a charge's `receipt_url`: a plain HTML receipt, reachable
// only with the charge's unguessable receipt token.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { formatAmount } from '../money/currencies.js';
import type { Store } from '../store/store.js';
import type { Charge, ChargeSecret } from './charge.js';
import { getObjectRow } from '../store/objects.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function receiptHtml(charge: Charge): string {
  const card = charge.payment_method_details?.card;
  const paid = new Date(charge.created * 1000).toISOString().slice(0, 10);
  const rows: Array<[string, string]> = [
    ['Amount paid', formatAmount(charge.amount_captured || charge.amount, charge.currency)],
    ['Date paid', paid],
    ['Payment method', card ? `${(card.brand ?? 'card').toUpperCase()} •••• ${card.last4}` : 'Card'],
  ];
  if (charge.amount_refunded > 0) rows.push(['Refunded', formatAmount(charge.amount_refunded, charge.currency)]);
  if (charge.description) rows.push(['Description', charge.description]);
  const title = charge.status === 'succeeded' ? 'Receipt' : 'Payment failed';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} ${escapeHtml(charge.id)}</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;background:#f6f8fa;color:#1a1f36;margin:0;padding:48px 16px}
main{max-width:420px;margin:0 auto;background:#fff;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.08);padding:32px}
h1{font-size:20px;margin:0 0 4px}p.sub{color:#697386;margin:0 0 24px}
dl{display:grid;grid-template-columns:1fr auto;gap:8px 16px;margin:0}dt{color:#697386}dd{margin:0;text-align:right;font-weight:500}
footer{margin-top:24px;color:#8792a2;font-size:12px}
</style></head>
<body><main>
<h1>${title}</h1><p class="sub">Receipt for ${escapeHtml(charge.id)}</p>
<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
<footer>Test mode: no money moved. Served by Kassa.</footer>
</main></body></html>`;
}

export function registerReceiptPage(app: FastifyInstance, store: Store): void {
  app.get('/receipts/:account/:charge/:token', async (request, reply) => {
    const { account, charge, token } = request.params as Record<string, string>;
    const row = await getObjectRow(store.read, account, charge);
    const secret = row?.private ? (JSON.parse(row.private) as ChargeSecret) : undefined;
    reply.header('content-type', 'text/html; charset=utf-8');
    if (!row || row.type !== 'charge' || !secret || !sameToken(secret.receiptToken, token)) {
      return reply.code(404).send('<!doctype html><title>Receipt not found</title><p>This receipt does not exist.</p>');
    }
    return reply.send(receiptHtml(JSON.parse(row.doc) as Charge));
  });
}
