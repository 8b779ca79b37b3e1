// `stripe.paymentRequest(options)`. Browsers' wallets (Apple Pay, Google Pay)
// need a real processor, so `canMakePayment()` resolves null unless Kassa's
// test wallet is enabled (`Stripe(pk, {kassa: {testWallet: true}})` or
// `?kassaTestWallet=1` on the script URL). The test wallet opens a sheet from
// Kassa's origin that creates a real card PaymentMethod with a test card.
import type { ApiSettings } from './api.js';
import { Emitter } from './emitter.js';
import { FrameChannel } from './messaging.js';
import { encodeFrameParams } from './protocol.js';
import { IntegrationError } from './stripe-error.js';

export type CompleteStatus =
  | 'success'
  | 'fail'
  | 'invalid_payer_name'
  | 'invalid_payer_phone'
  | 'invalid_payer_email'
  | 'invalid_shipping_address';

const SHEET_CSS = `
dialog.__KassaWallet{padding:0;border:0;border-radius:14px;width:min(400px,calc(100vw - 24px));overflow:hidden;box-shadow:0 30px 60px -12px rgba(50,50,93,.3),0 18px 36px -18px rgba(0,0,0,.35)}
dialog.__KassaWallet::backdrop{background:rgba(26,27,37,.5)}
dialog.__KassaWallet iframe{display:block;width:100%;height:420px;border:0}
`;

export class PaymentRequest extends Emitter {
  private showing = false;
  private dialog: HTMLDialogElement | null = null;
  private channel: FrameChannel | null = null;

  constructor(
    private readonly api: ApiSettings & { origin: string },
    private options: Record<string, any>,
    private readonly testWallet: boolean,
  ) {
    super();
    for (const name of ['country', 'currency', 'total'] as const) {
      if (options[name] === undefined)
        throw new IntegrationError(`Missing value for paymentRequest(): ${name} should be specified.`);
    }
    if (typeof options.total?.amount !== 'number' || !Number.isInteger(options.total.amount))
      throw new IntegrationError(
        'Invalid value for paymentRequest(): total.amount should be an integer in the smallest currency unit.',
      );
  }

  async canMakePayment(): Promise<Record<string, boolean> | null> {
    return this.testWallet ? { applePay: false, googlePay: false, link: false, kassaTestWallet: true } : null;
  }

  isShowing(): boolean {
    return this.showing;
  }

  update(options: Record<string, any>): void {
    if (this.showing) throw new IntegrationError('You cannot update a PaymentRequest while it is showing.');
    this.options = { ...this.options, ...options };
  }

  abort(): void {
    this.close();
  }

  show(): void {
    if (!this.testWallet)
      throw new IntegrationError(
        "No wallet is available in this browser (canMakePayment() resolved null). Enable Kassa's test wallet with Stripe(pk, {kassa: {testWallet: true}}).",
      );
    if (this.showing) throw new IntegrationError('This PaymentRequest is already showing.');
    this.showing = true;
    if (!document.getElementById('__kassa-wallet-style')) {
      const style = document.createElement('style');
      style.id = '__kassa-wallet-style';
      style.textContent = SHEET_CSS;
      document.head.appendChild(style);
    }
    const dialog = document.createElement('dialog');
    dialog.className = '__KassaWallet';
    dialog.setAttribute('aria-label', 'Kassa test wallet');
    const iframe = document.createElement('iframe');
    iframe.title = 'Kassa test wallet';
    const channel = new FrameChannel(
      this.api.origin,
      () => iframe.contentWindow,
      (type, payload) => this.receive(type, payload),
    );
    iframe.src = `${this.api.origin}/v3/elements-inner.html#${encodeFrameParams({
      kind: 'wallet',
      channel: channel.id,
      group: channel.id,
      parentOrigin: window.location.origin,
      key: this.api.key,
      stripeAccount: this.api.stripeAccount,
      apiVersion: this.api.apiVersion,
      options: {
        currency: this.options.currency,
        total: this.options.total,
        displayItems: this.options.displayItems,
        requestPayerName: this.options.requestPayerName,
        requestPayerEmail: this.options.requestPayerEmail,
      },
    })}`;
    dialog.appendChild(iframe);
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      this.cancel();
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    this.dialog = dialog;
    this.channel = channel;
  }

  private receive(type: string, payload: any): void {
    if (type === 'cancel') this.cancel();
    if (type === 'height' && this.dialog)
      this.dialog.querySelector('iframe')!.style.height =
        `${Math.min(Number(payload) || 420, window.innerHeight - 40)}px`;
    if (type !== 'paymentmethod') return;
    let completed = false;
    const complete = (status: CompleteStatus) => {
      if (completed) return;
      completed = true;
      this.channel?.send('complete', status);
      // Like the browser's sheet: it shows the outcome for a moment, then closes.
      setTimeout(() => this.close(), status === 'success' ? 600 : 1200);
    };
    this.emit('paymentmethod', {
      paymentMethod: payload.paymentMethod,
      complete,
      payerName: payload.payerName,
      payerEmail: payload.payerEmail,
      payerPhone: undefined,
      shippingAddress: undefined,
      shippingOption: undefined,
      walletName: 'kassaTestWallet',
      methodName: 'kassaTestWallet',
    });
  }

  private cancel(): void {
    this.close();
    this.emit('cancel');
  }

  private close(): void {
    this.channel?.close();
    this.dialog?.close();
    this.dialog?.remove();
    this.dialog = null;
    this.channel = null;
    this.showing = false;
  }
}
