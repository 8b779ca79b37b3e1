// The card number input: digits only, grouped by brand as the customer types,
// capped at the brand's longest length, checked by length and Luhn.
import {
  cardLengths,
  detectBrand,
  formatCardNumber,
  luhnValid,
  maxLength,
  type CardBrand,
} from '../../network/card-brands.js';
import type { FieldState } from './field-state.js';

export interface NumberState extends FieldState {
  digits: string;
  brand: CardBrand;
}

export function numberState(input: string): NumberState {
  let digits = input.replace(/\D/g, '');
  const brand = detectBrand(digits);
  digits = digits.slice(0, maxLength(brand));
  const display = formatCardNumber(digits);
  const lengths = cardLengths(brand);
  const longest = Math.max(...lengths);
  const empty = digits.length === 0;
  let complete = false;
  let error: NumberState['error'] = null;
  if (empty) error = 'incomplete_number';
  else if (lengths.includes(digits.length) && luhnValid(digits)) complete = true;
  // Invalid once no longer number of this brand can pass, or a full-length number fails Luhn.
  else if (digits.length >= longest || (lengths.includes(digits.length) && digits.length >= 16))
    error = 'invalid_number';
  else error = 'incomplete_number';
  return { digits, brand, display, empty, complete, error };
}

/**
 * Whether the customer has typed a whole number of the brand's usual length
 * (16; Amex 15; Diners 14 on its 36 range), so focus may move on. A shorter
 * number can already be complete (a 13-digit Visa), but typing goes on.
 */
export function numberFilled(state: NumberState): boolean {
  if (!state.complete) return false;
  const usual = state.brand === 'amex' ? 15 : state.brand === 'diners' && state.digits.startsWith('36') ? 14 : 16;
  return state.digits.length >= usual;
}
