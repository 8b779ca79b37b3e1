// A card Element on the merchant's page (`card`, `cardNumber`, `cardExpiry`,
// `cardCvc`, `payment`): a container the merchant styles through classes, and
// inside it an iframe from Kassa's origin that holds the inputs. The page
// never sees card data: it sends the frame commands and hears back events.
import type { ApiSettings } from './api.js';
import { Emitter } from './emitter.js';
import { FrameChannel } from './messaging.js';
import { encodeFrameParams } from './protocol.js';
import { IntegrationError, type StripeJsError } from './stripe-error.js';

export interface ElementsContext {
  api: ApiSettings & { origin: string };
  group: string;
  locale?: string;
  appearance?: Record<string, unknown>;
  fonts?: unknown[];
}

type ClassKey = 'base' | 'complete' | 'empty' | 'focus' | 'invalid' | 'webkitAutofill';
const DEFAULT_CLASSES: Record<ClassKey, string> = {
  base: 'StripeElement',
  complete: 'StripeElement--complete',
  empty: 'StripeElement--empty',
  focus: 'StripeElement--focus',
  invalid: 'StripeElement--invalid',
  webkitAutofill: 'StripeElement--webkit-autofill',
};

const FRAME_STYLE =
  'border:none!important;margin:0!important;padding:0!important;width:1px!important;min-width:100%!important;overflow:hidden!important;display:block!important;user-select:none!important;transform:translate(0)!important;color-scheme:light only!important;';

export type ConfirmCardResult =
  | { paymentMethod: Record<string, unknown>; error?: undefined }
  | { error: StripeJsError; paymentMethod?: undefined };

export class CardElement extends Emitter {
  private container: HTMLElement | null = null;
  private wrapper: HTMLElement | null = null;
  private iframe: HTMLIFrameElement | null = null;
  private channel: FrameChannel | null = null;
  private ready!: Promise<void>;
  private markReady: () => void = () => {};
  private destroyed = false;
  private state = { focus: false, empty: true, complete: false, invalid: false };
  private height = 0;
  private readonly labelClick = (event: MouseEvent) => {
    const label = (event.target as Element | null)?.closest?.('label');
    if (label && this.container?.id && label.htmlFor === this.container.id) this.focus();
  };

  constructor(
    readonly elementType: string,
    private readonly context: ElementsContext,
    private options: Record<string, any>,
    private readonly onDestroy: (element: CardElement) => void,
  ) {
    super();
  }

  mount(target: string | HTMLElement): void {
    if (this.destroyed) throw new IntegrationError('This Element has already been destroyed. Please create a new one.');
    if (this.container)
      throw new IntegrationError('This Element is already mounted. Use `unmount()` before mounting it again.');
    const container = typeof target === 'string' ? document.querySelector<HTMLElement>(target) : target;
    if (!container || !(container instanceof HTMLElement))
      throw new IntegrationError(
        `The selector you specified (${String(target)}) applies to no DOM elements that are currently on the page.`,
      );
    this.container = container;
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    const wrapper = document.createElement('div');
    wrapper.className = '__PrivateKassaElement';
    wrapper.style.cssText =
      'margin:0!important;padding:0!important;border:none!important;display:block!important;background:transparent!important;position:relative!important;opacity:1!important;';
    const iframe = document.createElement('iframe');
    this.channel = new FrameChannel(
      this.context.api.origin,
      () => iframe.contentWindow,
      (type, payload) => this.receive(type, payload),
    );
    iframe.name = `__privateKassaFrame${this.channel.id}`;
    iframe.title = this.elementType === 'payment' ? 'Secure payment input frame' : 'Secure card payment input frame';
    iframe.setAttribute('frameborder', '0');
    iframe.setAttribute('allowtransparency', 'true');
    iframe.setAttribute('scrolling', 'no');
    iframe.setAttribute('role', 'presentation');
    iframe.setAttribute('allow', 'payment *');
    iframe.style.cssText = `${FRAME_STYLE}height:${this.height || (this.elementType === 'payment' ? 220 : 20)}px;`;
    iframe.src = `${this.context.api.origin}/v3/elements-inner.html#${encodeFrameParams({
      kind: this.elementType,
      channel: this.channel.id,
      group: this.context.group,
      parentOrigin: window.location.origin,
      key: this.context.api.key,
      stripeAccount: this.context.api.stripeAccount,
      apiVersion: this.context.api.apiVersion,
      locale: this.context.locale,
      options: frameOptions(this.options),
      appearance: this.context.appearance,
      fonts: this.context.fonts,
    })}`;
    wrapper.appendChild(iframe);
    container.appendChild(wrapper);
    this.wrapper = wrapper;
    this.iframe = iframe;
    document.addEventListener('click', this.labelClick);
    this.renderClasses();
  }

  unmount(): void {
    if (!this.container) return;
    document.removeEventListener('click', this.labelClick);
    this.channel?.close();
    this.wrapper?.remove();
    for (const name of Object.values(this.classes()))
      for (const cls of name.split(/\s+/)) if (cls) this.container.classList.remove(cls);
    this.container = this.wrapper = this.iframe = this.channel = null;
    this.state = { focus: false, empty: true, complete: false, invalid: false };
  }

  destroy(): void {
    this.unmount();
    this.destroyed = true;
    this.onDestroy(this);
  }

  update(options: Record<string, any>): void {
    if (this.destroyed) throw new IntegrationError('This Element has already been destroyed.');
    const classesBefore = this.classes();
    this.options = { ...this.options, ...options, style: options.style ? options.style : this.options.style };
    if (this.container && options.classes) {
      for (const name of Object.values(classesBefore))
        for (const cls of name.split(/\s+/)) if (cls) this.container.classList.remove(cls);
      this.renderClasses();
    }
    void this.command('update', frameOptions(this.options));
  }

  /** Appearance changes from `elements.update()` (the Payment Element's look). */
  updateAppearance(appearance: Record<string, unknown> | undefined): void {
    void this.command('appearance', appearance);
  }

  focus(): void {
    this.iframe?.focus();
    void this.command('focus');
  }

  blur(): void {
    void this.command('blur');
  }

  clear(): void {
    void this.command('clear');
  }

  get isMounted(): boolean {
    return this.container !== null;
  }

  /** Creates a card PaymentMethod from the card in the frame(s); the page only ever gets the result. */
  async createPaymentMethod(params: Record<string, unknown>): Promise<ConfirmCardResult> {
    if (!this.channel)
      throw new IntegrationError(
        `We could not retrieve data from the specified Element. Please make sure the Element you are attempting to use is still mounted.`,
      );
    await this.ready;
    return this.channel.request<ConfirmCardResult>('createPaymentMethod', params);
  }

  /** Checks the fields without any request; shows their errors. */
  async validate(): Promise<{ error?: StripeJsError }> {
    if (!this.channel) throw new IntegrationError('This Element is not mounted.');
    await this.ready;
    return this.channel.request<{ error?: StripeJsError }>('validate');
  }

  private async command(type: string, payload?: unknown): Promise<void> {
    if (!this.channel) return;
    await this.ready;
    this.channel?.send(type, payload);
  }

  private receive(type: string, payload: any): void {
    switch (type) {
      case 'ready':
        this.markReady();
        this.emit('ready', { elementType: this.elementType });
        return;
      case 'height':
        this.height = Number(payload) || this.height;
        if (this.iframe) this.iframe.style.setProperty('height', `${this.height}px`, 'important');
        return;
      case 'change':
        this.state.empty = Boolean(payload.empty);
        this.state.complete = Boolean(payload.complete);
        this.state.invalid = Boolean(payload.error);
        this.renderClasses();
        this.emit('change', payload);
        return;
      case 'focus':
      case 'blur':
        this.state.focus = type === 'focus';
        this.renderClasses();
        this.emit(type, { elementType: this.elementType });
        return;
      case 'escape':
        this.emit('escape', { elementType: this.elementType });
        return;
    }
  }

  private classes(): Record<ClassKey, string> {
    return { ...DEFAULT_CLASSES, ...(this.options.classes ?? {}) };
  }

  private renderClasses(): void {
    // Like Stripe's, the Payment Element draws its own fields: its container gets no StripeElement classes.
    if (!this.container || this.elementType === 'payment') return;
    const classes = this.classes();
    const toggle = (name: string, on: boolean) => {
      for (const cls of name.split(/\s+/)) if (cls) this.container!.classList.toggle(cls, on);
    };
    toggle(classes.base, true);
    toggle(classes.focus, this.state.focus);
    toggle(classes.empty, this.state.empty);
    toggle(classes.complete, this.state.complete);
    toggle(classes.invalid, this.state.invalid);
  }
}

/** The options the frame renders with (classes stay on the merchant's side). */
function frameOptions(options: Record<string, any>): Record<string, unknown> {
  const { classes: _classes, ...rest } = options;
  return JSON.parse(JSON.stringify(rest));
}
