// Stripe.js's validation error codes and their English messages, as the card
// fields report them in `change` events and confirm calls return them.

export type FieldErrorCode =
  | 'incomplete_number'
  | 'invalid_number'
  | 'incomplete_expiry'
  | 'invalid_expiry_month'
  | 'invalid_expiry_year'
  | 'invalid_expiry_month_past'
  | 'invalid_expiry_year_past'
  | 'incomplete_cvc'
  | 'incomplete_zip';

export const FIELD_MESSAGES: Record<FieldErrorCode, string> = {
  incomplete_number: 'Your card number is incomplete.',
  invalid_number: 'Your card number is invalid.',
  incomplete_expiry: "Your card's expiration date is incomplete.",
  invalid_expiry_month: "Your card's expiration month is invalid.",
  invalid_expiry_year: "Your card's expiration year is invalid.",
  invalid_expiry_month_past: "Your card's expiration date is in the past.",
  invalid_expiry_year_past: "Your card's expiration year is in the past.",
  incomplete_cvc: "Your card's security code is incomplete.",
  incomplete_zip: 'Your postal code is incomplete.',
};

/** A change event's `error` (and a confirm call's, when the card is not ready). */
export interface ValidationError {
  type: 'validation_error';
  code: FieldErrorCode;
  message: string;
  [key: string]: unknown;
}

export function validationError(code: FieldErrorCode): ValidationError {
  return { type: 'validation_error', code, message: FIELD_MESSAGES[code] };
}
