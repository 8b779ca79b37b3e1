// Kassa's test wallet: the payment sheet a Payment Request shows when the
// test wallet is enabled. It plays the browser's wallet: the customer picks a
// test card, and the sheet creates a real card PaymentMethod on Kassa (same
// origin as this frame) and hands the page only that PaymentMethod.
import { apiRequest } from '../api.js';
import type { FrameParams } from '../protocol.js';
import { ParentChannel } from './parent-channel.js';

const TEST_CARDS = [
  { number: '4242424242424242', label: 'Visa •••• 4242', note: 'succeeds' },
  { number: '4000002760003184', label: 'Visa •••• 3184', note: 'asks for 3-D Secure' },
  { number: '4000000000000002', label: 'Visa •••• 0002', note: 'is declined' },
];

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",sans-serif;color:#30313d;background:#fff}
main{padding:20px 24px 24px}
h1{font-size:17px;margin:0 0 2px;color:#1a1b25}
.sub{margin:0 0 16px;color:#6a7383;font-size:13px}
.lines{border:1px solid #ebeef1;border-radius:8px;padding:4px 14px;margin:0 0 16px}
.line{display:flex;justify-content:space-between;gap:12px;padding:8px 0;border-top:1px solid #ebeef1}
.line:first-child{border-top:0}
.line.total{font-weight:600;color:#1a1b25}
label{display:block;font-size:13px;font-weight:500;color:#4f566b;margin:0 0 6px}
select,input{width:100%;font:inherit;padding:9px 11px;border:1px solid #d5dbe1;border-radius:6px;background:#fff;color:#30313d;margin:0 0 14px}
select:focus,input:focus{outline:0;border-color:#8d88ff;box-shadow:0 0 0 3px rgba(99,91,255,.25)}
.actions{display:grid;grid-template-columns:1fr 2fr;gap:10px;margin-top:4px}
button{font:inherit;font-weight:600;border-radius:6px;padding:10px 14px;cursor:pointer;border:1px solid #d5dbe1;background:#fff;color:#30313d}
button.pay{background:#1a1b25;border-color:#1a1b25;color:#fff}
button:disabled{opacity:.6;cursor:default}
button:focus-visible{outline:3px solid rgba(99,91,255,.4);outline-offset:2px}
.status{margin:12px 0 0;font-size:14px;min-height:1.45em}
.status.bad{color:#df1b41}
`;

function formatAmount(amount: number, currency: string): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() });
  return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

const escapeHtml = (text: unknown) => String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function startWalletSheet(params: FrameParams): void {
  const request = params.options as {
    currency: string;
    total: { label: string; amount: number };
    displayItems?: Array<{ label: string; amount: number }>;
    requestPayerName?: boolean;
    requestPayerEmail?: boolean;
  };
  const style = document.createElement('style');
  style.textContent = CSS;
  document.head.appendChild(style);
  const lines = [
    ...(request.displayItems ?? []).map(
      (item) =>
        `<div class="line"><span>${escapeHtml(item.label)}</span><span>${escapeHtml(formatAmount(item.amount, request.currency))}</span></div>`,
    ),
    `<div class="line total"><span>${escapeHtml(request.total.label)}</span><span>${escapeHtml(formatAmount(request.total.amount, request.currency))}</span></div>`,
  ];
  const main = document.createElement('main');
  main.innerHTML = `<h1>Kassa test wallet</h1><p class="sub">Stands in for Apple Pay / Google Pay in test mode.</p>
<div class="lines">${lines.join('')}</div>
<label for="card">Pay with</label><select id="card">${TEST_CARDS.map((card, i) => `<option value="${i}">${card.label} (${card.note})</option>`).join('')}</select>
${request.requestPayerName ? '<label for="name">Name</label><input id="name" autocomplete="name" value="Jenny Rosen">' : ''}
${request.requestPayerEmail ? '<label for="email">Email</label><input id="email" type="email" autocomplete="email" value="jenny.rosen@example.com">' : ''}
<div class="actions"><button type="button" class="cancel">Cancel</button><button type="button" class="pay">Pay ${escapeHtml(formatAmount(request.total.amount, request.currency))}</button></div>
<p class="status" role="status"></p>`;
  document.body.appendChild(main);
  const pay = main.querySelector<HTMLButtonElement>('button.pay')!;
  const cancel = main.querySelector<HTMLButtonElement>('button.cancel')!;
  const status = main.querySelector<HTMLElement>('.status')!;
  const api = {
    origin: window.location.origin,
    key: params.key,
    stripeAccount: params.stripeAccount,
    apiVersion: params.apiVersion,
  };

  const channel = new ParentChannel(params, (type, payload) => {
    if (type !== 'complete') return;
    const ok = payload === 'success';
    status.textContent = ok ? 'Payment complete.' : 'The merchant could not complete the payment.';
    status.classList.toggle('bad', !ok);
  });

  cancel.addEventListener('click', () => channel.post('cancel'));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') channel.post('cancel');
  });
  pay.addEventListener('click', async () => {
    pay.disabled = cancel.disabled = true;
    status.textContent = 'Processing…';
    status.classList.remove('bad');
    const card = TEST_CARDS[Number(main.querySelector<HTMLSelectElement>('#card')!.value)]!;
    const payerName = main.querySelector<HTMLInputElement>('#name')?.value || undefined;
    const payerEmail = main.querySelector<HTMLInputElement>('#email')?.value || undefined;
    const year = new Date().getFullYear() + 3;
    const result = await apiRequest(api, 'POST', '/v1/payment_methods', {
      type: 'card',
      card: { number: card.number, exp_month: 12, exp_year: year, cvc: '123' },
      billing_details: { name: payerName, email: payerEmail },
    });
    if (result.error) {
      status.textContent = result.error.message ?? 'The wallet could not create the payment method.';
      status.classList.add('bad');
      pay.disabled = cancel.disabled = false;
      return;
    }
    channel.post('paymentmethod', { paymentMethod: result.body, payerName, payerEmail });
  });
  channel.post('height', Math.ceil(main.getBoundingClientRect().height));
  channel.post('ready');
  pay.focus();
}
