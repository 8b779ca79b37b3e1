// A card Element's frame: renders the card form, answers the merchant page's
// commands (update, focus, blur, clear, validate, createPaymentMethod) and
// reports its events and height.
import type { CardElementType } from '../card-fields/change-event.js';
import { blockingError } from '../card-fields/change-event.js';
import type { FrameParams } from '../protocol.js';
import { appearanceCss } from './appearance.js';
import { CardForm } from './card-form.js';
import { createCardPaymentMethod, missingPartError } from './create-payment-method.js';
import { applyFonts } from './fonts.js';
import { FRAME_CSS } from './frame-css.js';
import { ParentChannel } from './parent-channel.js';
import { combinedParts, groupFields } from './siblings.js';
import { styleCss } from './style.js';

function setStyle(id: string, css: string): void {
  let element = document.getElementById(id) as HTMLStyleElement | null;
  if (!element) {
    element = document.createElement('style');
    element.id = id;
    document.head.appendChild(element);
  }
  element.textContent = css;
}

export function startCardFrame(params: FrameParams): void {
  setStyle('kassa-base', FRAME_CSS);
  applyFonts(params.fonts);
  const renderStyle = (options: Record<string, any>, appearance: Record<string, unknown> | undefined) => {
    setStyle(
      'kassa-style',
      styleCss(options.style, 'input', '.icon') + (params.kind === 'payment' ? appearanceCss(appearance) : ''),
    );
  };
  let appearance = params.appearance;
  renderStyle(params.options, appearance);

  const root = document.createElement('div');
  document.body.appendChild(root);
  const channel = new ParentChannel(params, (type, payload, requestId) => command(type, payload, requestId));
  const form = new CardForm(root, params.kind as CardElementType, params.group, params.options, {
    change: (event) => channel.post('change', event),
    focus: () => channel.post('focus'),
    blur: () => channel.post('blur'),
    escape: () => channel.post('escape'),
  });
  const api = {
    origin: window.location.origin,
    key: params.key,
    stripeAccount: params.stripeAccount,
    apiVersion: params.apiVersion,
  };

  async function command(type: string, payload: any, requestId: string | undefined): Promise<void> {
    switch (type) {
      case 'update':
        renderStyle(payload ?? {}, appearance);
        form.update(payload ?? {});
        return;
      case 'appearance':
        appearance = payload;
        renderStyle(params.options, appearance);
        return;
      case 'focus':
        form.focus();
        return;
      case 'blur':
        form.blur();
        return;
      case 'clear':
        form.clear();
        return;
      case 'validate': {
        for (const handle of groupFields(params.group)) handle.touchAll();
        const parts = combinedParts(params.group);
        const error = missingPartError(parts) ?? blockingError(Object.values(parts)) ?? undefined;
        channel.respond(requestId, error ? { error } : {});
        return;
      }
      case 'createPaymentMethod': {
        for (const handle of groupFields(params.group)) handle.touchAll();
        channel.respond(requestId, await createCardPaymentMethod(api, combinedParts(params.group), payload ?? {}));
        return;
      }
    }
  }

  let height = 0;
  const reportHeight = () => {
    const next = Math.ceil(root.getBoundingClientRect().height);
    if (next !== height) {
      height = next;
      channel.post('height', next);
    }
  };
  new ResizeObserver(reportHeight).observe(root);
  reportHeight();
  const ready = () => channel.post('ready');
  if (document.fonts?.ready) void document.fonts.ready.then(ready);
  else ready();
}
