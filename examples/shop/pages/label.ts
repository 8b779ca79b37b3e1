// The shipping label for a paid order: a printable 4 × 6 inch label with
// sender, recipient, items, tracking number and its barcode.
import type { Order } from '../orders.js';
import { code39Svg } from './barcode.js';
import { escapeHtml, formatTime } from './html.js';
import { SHOP_NAME } from './layout.js';

const SENDER = [SHOP_NAME, 'Havenstraat 12', '1011 AB Amsterdam', 'NL'];

export function labelPage(order: Order): string {
  const shipment = order.shipment!;
  const { name, address } = order.customer;
  const recipient = [
    name,
    address.line1,
    address.line2,
    `${address.postal_code} ${address.city}`,
    address.country,
  ].filter(Boolean);
  const items = order.items.map((item) => `<li>${item.quantity} × ${escapeHtml(item.name)}</li>`).join('');
  const units = order.items.reduce((sum, item) => sum + item.quantity, 0);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shipping label ${escapeHtml(shipment.tracking_number)}</title>
<style>
body{margin:0;background:#e9ebf0;font:14px/1.35 Arial,Helvetica,sans-serif;color:#000}
.sheet{width:4in;min-height:6in;margin:24px auto;background:#fff;border:2px solid #000;box-shadow:0 6px 24px rgba(0,0,0,.15)}
.sheet section{border-bottom:2px solid #000;padding:10px 12px}
.sheet section:last-child{border-bottom:0}
.top{display:flex;justify-content:space-between;align-items:center}
.carrier{font-weight:900;font-size:22px;letter-spacing:.02em}
.service{border:2px solid #000;padding:2px 8px;font-weight:700}
.small{font-size:10px;text-transform:uppercase;letter-spacing:.08em;color:#333;margin-bottom:3px}
.to{font-size:18px;font-weight:700;line-height:1.3}
.tracking{text-align:center}
.tracking .number{font:700 18px/1.2 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.12em;margin-top:6px}
ul{margin:0;padding-left:18px}
.meta{display:flex;justify-content:space-between;font-size:12px}
@media print{body{background:#fff}.sheet{margin:0;box-shadow:none}}
</style></head>
<body>
<div class="sheet" role="document" aria-label="Shipping label">
<section class="top"><span class="carrier">${escapeHtml(shipment.carrier.toUpperCase())}</span><span class="service">PARCEL · ${units} ${units === 1 ? 'ITEM' : 'ITEMS'}</span></section>
<section><div class="small">From</div>${SENDER.map(escapeHtml).join('<br>')}</section>
<section><div class="small">Ship to</div><div class="to" data-recipient>${recipient.map(escapeHtml).join('<br>')}</div></section>
<section class="tracking"><div class="small">Tracking number</div>${code39Svg(shipment.tracking_number)}<div class="number" data-tracking>${escapeHtml(shipment.tracking_number)}</div></section>
<section><div class="small">Contents · order <span data-order>${escapeHtml(order.id)}</span></div><ul>${items}</ul></section>
<section class="meta"><span>Label created ${escapeHtml(formatTime(shipment.created))}</span><span>Weight class S</span></section>
</div>
</body></html>`;
}
