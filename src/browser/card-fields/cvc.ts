// The security code input: digits only, as many as the brand's CVC has (4 for
// Amex, 3 otherwise; while the brand is unknown up to 4 digits are accepted).
import { cvcLength, type CardBrand } from '../../network/card-brands.js';
import type { FieldState } from './field-state.js';

export interface CvcState extends FieldState {
  digits: string;
}

export function cvcState(input: string, brand: CardBrand): CvcState {
  const max = brand === 'unknown' ? 4 : cvcLength(brand);
  const min = brand === 'unknown' ? 3 : cvcLength(brand);
  const digits = input.replace(/\D/g, '').slice(0, max);
  const complete = digits.length >= min;
  return { digits, display: digits, empty: digits.length === 0, complete, error: complete ? null : 'incomplete_cvc' };
}
