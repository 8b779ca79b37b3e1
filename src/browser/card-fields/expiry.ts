// The expiry input, `MM / YY`: a single leading digit above 1 becomes `0d`,
// the separator appears once the month is whole, and dates before the current
// month are refused with Stripe.js's codes.
import type { FieldState } from './field-state.js';

export interface ExpiryState extends FieldState {
  month: number | null;
  /** Four-digit year. */
  year: number | null;
}

/** How far ahead an expiry year may be before Stripe.js calls it invalid. */
const MAX_YEARS_AHEAD = 50;

/**
 * Formats typed text. `deleting` is true when the customer just removed a
 * character, so that backspacing over ` / ` removes the separator, not re-adds it.
 */
export function formatExpiry(input: string, deleting = false): string {
  let digits = input.replace(/\D/g, '');
  if (digits.length === 1 && digits >= '2') digits = `0${digits}`;
  else if (digits.length >= 2 && digits[0] === '1' && digits[1]! > '2') digits = `01${digits.slice(1)}`;
  digits = digits.slice(0, 4);
  if (digits.length < 2) return digits;
  if (digits.length === 2) return deleting ? digits : `${digits} / `;
  return `${digits.slice(0, 2)} / ${digits.slice(2)}`;
}

/** `now` is a Date for the customer's current month (local time, as the card is read). */
export function expiryState(input: string, now: Date, deleting = false): ExpiryState {
  const display = formatExpiry(input, deleting);
  const digits = display.replace(/\D/g, '');
  const empty = digits.length === 0;
  const base = { display, empty, month: null, year: null };
  if (digits.length < 4) {
    if (digits.length >= 2 && (Number(digits.slice(0, 2)) < 1 || Number(digits.slice(0, 2)) > 12))
      return { ...base, complete: false, error: 'invalid_expiry_month' };
    return { ...base, complete: false, error: 'incomplete_expiry' };
  }
  const month = Number(digits.slice(0, 2));
  const year = 2000 + Number(digits.slice(2));
  if (month < 1 || month > 12) return { ...base, complete: false, error: 'invalid_expiry_month' };
  const thisYear = now.getFullYear();
  if (year < thisYear) return { ...base, complete: false, error: 'invalid_expiry_year_past' };
  if (year === thisYear && month < now.getMonth() + 1)
    return { ...base, complete: false, error: 'invalid_expiry_month_past' };
  if (year > thisYear + MAX_YEARS_AHEAD) return { ...base, complete: false, error: 'invalid_expiry_year' };
  return { display, empty, month, year, complete: true, error: null };
}
