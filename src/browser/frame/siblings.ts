// Split card fields (cardNumber, cardExpiry, cardCvc) live in separate frames
// of one origin, so they can reach each other directly through the merchant
// page's frame list; the page's own window stays out of reach (cross-origin).
import type { CardBrand } from '../../network/card-brands.js';
import type { CvcState } from '../card-fields/cvc.js';
import type { ExpiryState } from '../card-fields/expiry.js';
import type { NumberState } from '../card-fields/number.js';
import type { PostalState } from '../card-fields/postal.js';

export interface CardParts {
  number?: NumberState;
  expiry?: ExpiryState;
  cvc?: CvcState;
  postal?: PostalState;
}

export interface FieldHandle {
  group: string;
  read(): CardParts;
  /** Shows incomplete errors, as leaving the fields would. */
  touchAll(): void;
  /** Another field of the group changed (the CVC field follows the number's brand). */
  refresh(): void;
}

declare global {
  interface Window {
    __kassaCardFields?: FieldHandle;
  }
}

/** Every field frame of the group, this one included. */
export function groupFields(group: string): FieldHandle[] {
  const found: FieldHandle[] = [];
  let frames: WindowProxy;
  try {
    frames = window.parent.frames;
  } catch {
    return window.__kassaCardFields ? [window.__kassaCardFields] : [];
  }
  for (let i = 0; i < frames.length; i++) {
    try {
      const handle = (frames[i] as Window).__kassaCardFields;
      if (handle && handle.group === group) found.push(handle);
    } catch {
      // A frame of another origin (the merchant's own, a third party's): not ours.
    }
  }
  if (window.__kassaCardFields && !found.includes(window.__kassaCardFields)) found.push(window.__kassaCardFields);
  return found;
}

export function combinedParts(group: string): CardParts {
  const parts: CardParts = {};
  for (const handle of groupFields(group)) Object.assign(parts, stripUndefined(handle.read()));
  return parts;
}

export function groupBrand(group: string): CardBrand {
  return combinedParts(group).number?.brand ?? 'unknown';
}

function stripUndefined(parts: CardParts): CardParts {
  return Object.fromEntries(Object.entries(parts).filter(([, v]) => v !== undefined)) as CardParts;
}
