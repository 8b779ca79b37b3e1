// The postal code input of the card element. Countries' formats differ, so,
// as Stripe.js does without a known country, any letters, digits, spaces and
// dashes are accepted; a code of five digits (a US ZIP) or three or more other
// characters is complete.
import type { FieldState } from './field-state.js';

export interface PostalState extends FieldState {
  value: string;
}

const MAX_LENGTH = 10;

export function postalState(input: string): PostalState {
  const value = input
    .replace(/[^0-9A-Za-z -]/g, '')
    .slice(0, MAX_LENGTH)
    .toUpperCase();
  const compact = value.replace(/[\s-]/g, '');
  const allDigits = /^\d+$/.test(compact);
  const complete = allDigits ? compact.length >= 5 : compact.length >= 3;
  return { value, display: value, empty: value.length === 0, complete, error: complete ? null : 'incomplete_zip' };
}
