// The `paymentRequestButton` Element: a wallet button on the merchant's page
// (it carries no card data) that emits `click` and then shows the payment
// request's sheet, unless the click handler called `event.preventDefault()`.
import { Emitter } from './emitter.js';
import type { PaymentRequest } from './payment-request.js';
import { IntegrationError } from './stripe-error.js';

const THEMES: Record<string, string> = {
  dark: 'background:#000;color:#fff;border:1px solid #000;',
  light: 'background:#fff;color:#000;border:1px solid #fff;',
  'light-outline': 'background:#fff;color:#000;border:1px solid #000;',
};
const LABELS: Record<string, string> = {
  default: 'Pay',
  buy: 'Buy with',
  book: 'Book with',
  donate: 'Donate with',
  'check-out': 'Check out with',
  subscribe: 'Subscribe with',
  order: 'Order with',
};

export class PaymentRequestButton extends Emitter {
  readonly elementType = 'paymentRequestButton';
  private host: HTMLElement | null = null;

  constructor(
    private options: {
      paymentRequest: PaymentRequest;
      style?: { paymentRequestButton?: { type?: string; theme?: string; height?: string } };
    },
    private readonly onDestroy: () => void,
  ) {
    super();
    if (!options?.paymentRequest)
      throw new IntegrationError('Missing value for create(paymentRequestButton): paymentRequest should be specified.');
  }

  mount(target: string | HTMLElement): void {
    const container = typeof target === 'string' ? document.querySelector<HTMLElement>(target) : target;
    if (!container)
      throw new IntegrationError(
        `The selector you specified (${String(target)}) applies to no DOM elements that are currently on the page.`,
      );
    const host = document.createElement('div');
    const shadow = host.attachShadow({ mode: 'open' });
    const style = this.options.style?.paymentRequestButton ?? {};
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('aria-label', 'Pay with Kassa test wallet');
    button.innerHTML = `${LABELS[style.type ?? 'default'] ?? 'Pay'} <strong style="font-weight:700;letter-spacing:-.01em">Test&nbsp;Wallet</strong>`;
    button.style.cssText = `${THEMES[style.theme ?? 'dark'] ?? THEMES.dark}width:100%;height:${/^\d+px$/.test(style.height ?? '') ? style.height : '40px'};border-radius:6px;font:500 15px -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;cursor:pointer;display:flex;align-items:center;justify-content:center;gap:6px`;
    button.addEventListener('focus', () => this.emit('focus', { elementType: this.elementType }));
    button.addEventListener('blur', () => this.emit('blur', { elementType: this.elementType }));
    button.addEventListener('click', () => {
      let prevented = false;
      this.emit('click', { elementType: this.elementType, preventDefault: () => (prevented = true) });
      if (!prevented) this.options.paymentRequest.show();
    });
    shadow.appendChild(button);
    container.appendChild(host);
    container.classList.add('StripeElement');
    this.host = host;
    queueMicrotask(() => this.emit('ready', { elementType: this.elementType }));
  }

  unmount(): void {
    this.host?.remove();
    this.host = null;
  }

  destroy(): void {
    this.unmount();
    this.onDestroy();
  }

  update(options: Record<string, any>): void {
    this.options = { ...this.options, ...options, paymentRequest: this.options.paymentRequest };
  }

  focus(): void {
    this.host?.shadowRoot?.querySelector('button')?.focus();
  }

  blur(): void {
    this.host?.shadowRoot?.querySelector('button')?.blur();
  }

  clear(): void {}
}
