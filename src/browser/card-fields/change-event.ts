// The `change` event of a card element from the states of its inputs: which
// error to show, whether it is empty or complete, and the brand. The Payment
// Element's event carries neither brand nor error (those come from submit()).
import type { CardBrand } from '../../network/card-brands.js';
import type { FieldState } from './field-state.js';
import { validationError, type ValidationError } from './messages.js';

export type CardElementType = 'card' | 'cardNumber' | 'cardExpiry' | 'cardCvc' | 'payment';

export interface ShownField {
  state: FieldState;
  /** The customer has left the field at least once (incomplete values count as errors only then). */
  touched: boolean;
  /** A confirm or submit was tried: even empty fields show what they lack. */
  submitted?: boolean;
}

export interface CardChangeEvent {
  elementType: CardElementType;
  empty: boolean;
  complete: boolean;
  brand?: CardBrand;
  error?: ValidationError;
  value?: { postalCode: string } | { type: 'card' };
}

/** The error a field shows now: invalid values at once, incomplete ones after the customer left a non-empty field or tried to pay. */
export function shownError(field: ShownField): ValidationError | undefined {
  const { error, empty } = field.state;
  if (!error) return undefined;
  if (error.startsWith('invalid_')) return validationError(error);
  return (field.touched && !empty) || field.submitted ? validationError(error) : undefined;
}

/** The error that would stop a confirm: the first field that is not complete. */
export function blockingError(fields: FieldState[]): ValidationError | undefined {
  const failing = fields.find((field) => !field.complete);
  return failing?.error ? validationError(failing.error) : undefined;
}

export function changeEvent(
  elementType: CardElementType,
  fields: ShownField[],
  extra: { brand?: CardBrand; postalCode?: string },
): CardChangeEvent {
  const event: CardChangeEvent = {
    elementType,
    empty: fields.every((f) => f.state.empty),
    complete: fields.every((f) => f.state.complete),
  };
  if (elementType === 'payment') return { ...event, value: { type: 'card' } };
  if (extra.brand !== undefined) event.brand = extra.brand;
  for (const field of fields) {
    const error = shownError(field);
    if (error) {
      event.error = error;
      break;
    }
  }
  if (elementType === 'card') event.value = { postalCode: extra.postalCode ?? '' };
  return event;
}
