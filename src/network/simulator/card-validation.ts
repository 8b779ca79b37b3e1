// The simulator's tokenize: checks card details as an issuer's front door
// would (length, Luhn, expiry, CVC length) and builds the profile kept of the
// card, with the test card table's brand, funding and country where the
// number is a test card.
import { cvcLength, detectBrand, displayBrand, luhnValid, normalizeCardNumber, validLength } from '../card-brands.js';
import {
  fingerprint,
  type CardError,
  type CardErrorCode,
  type CardInput,
  type CardProfile,
  type Checks,
  type TokenizeContext,
  type TokenizeResult,
} from '../network.js';
import { CARD_DEFAULTS, testCardByNumber, type TestCard } from './test-cards.js';

const MESSAGES: Record<CardErrorCode, string> = {
  incorrect_number: 'Your card number is incorrect.',
  invalid_number: 'Your card number is invalid.',
  invalid_expiry_month: "Your card's expiration month is invalid.",
  invalid_expiry_year: "Your card's expiration year is invalid.",
  invalid_cvc: "Your card's security code is invalid.",
};

const PARAMS: Record<CardErrorCode, CardError['param']> = {
  incorrect_number: 'number',
  invalid_number: 'number',
  invalid_expiry_month: 'exp_month',
  invalid_expiry_year: 'exp_year',
  invalid_cvc: 'cvc',
};

/** How far ahead an expiry year may lie. */
const MAX_YEARS_AHEAD = 50;

function cardError(code: CardErrorCode): TokenizeResult {
  return { ok: false, error: { code, param: PARAMS[code], message: MESSAGES[code] } };
}

function integer(value: number | string): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  return /^\d+$/.test(value.trim()) ? Number(value.trim()) : null;
}

/** Two-digit years are read as the nearest year within 50 years of today (so 95 is 1995). */
function fullYear(year: number, currentYear: number): number {
  if (year >= 100) return year;
  let full = currentYear - (currentYear % 100) + year;
  if (full > currentYear + MAX_YEARS_AHEAD) full -= 100;
  else if (full < currentYear - MAX_YEARS_AHEAD) full += 100;
  return full;
}

function buildProfile(
  number: string,
  expMonth: number,
  expYear: number,
  checks: Checks,
  context: TokenizeContext,
): CardProfile {
  const card = testCardByNumber(number);
  const brand = card?.brand ?? detectBrand(number);
  const networks = card?.networks ?? (brand === 'unknown' ? [] : [brand]);
  const profile: CardProfile = {
    brand,
    display_brand: displayBrand(brand),
    funding: card?.funding ?? CARD_DEFAULTS.funding,
    country: card?.country ?? CARD_DEFAULTS.country,
    last4: number.slice(-4),
    exp_month: expMonth,
    exp_year: expYear,
    fingerprint: fingerprint(number, context.fingerprintKey),
    checks,
    networks: { available: [...networks], preferred: null },
    three_d_secure_usage: { supported: (card?.three_d_secure ?? CARD_DEFAULTS.three_d_secure) !== 'not_supported' },
  };
  if (card) profile.networkRef = card.id;
  return profile;
}

export function tokenizeCard(card: CardInput, context: TokenizeContext): TokenizeResult {
  const number = normalizeCardNumber(String(card.number ?? ''));
  if (!number || !validLength(number)) return cardError('invalid_number');
  if (!luhnValid(number)) return cardError('incorrect_number');

  const today = new Date(context.now * 1000);
  const currentYear = today.getUTCFullYear();
  const currentMonth = today.getUTCMonth() + 1;
  const month = integer(card.exp_month);
  if (month === null || month < 1 || month > 12) return cardError('invalid_expiry_month');
  const rawYear = integer(card.exp_year);
  if (rawYear === null) return cardError('invalid_expiry_year');
  const year = fullYear(rawYear, currentYear);
  if (year < currentYear || year > currentYear + MAX_YEARS_AHEAD) return cardError('invalid_expiry_year');
  if (year === currentYear && month < currentMonth) return cardError('invalid_expiry_month');

  const cvc = card.cvc ?? '';
  if (cvc !== '') {
    const brand = detectBrand(number);
    const lengths = brand === 'unknown' ? [3, 4] : [cvcLength(brand)];
    if (!/^\d+$/.test(cvc) || !lengths.includes(cvc.length)) return cardError('invalid_cvc');
  }

  const given = (value: string | null | undefined) => (value ? 'unchecked' : null);
  const checks: Checks = {
    cvc_check: given(cvc),
    address_line1_check: given(card.address_line1),
    address_postal_code_check: given(card.address_postal_code),
  };
  return { ok: true, profile: buildProfile(number, month, year, checks, context) };
}

/** A test id comes with a CVC; with a billing address only for the cards whose address checks do something. */
export function testIdProfile(card: TestCard, context: TokenizeContext): CardProfile {
  const today = new Date(context.now * 1000);
  const addressMatters = card.checks.address_line1_check !== 'pass' || card.checks.address_postal_code_check !== 'pass';
  const checks: Checks = {
    cvc_check: 'unchecked',
    address_line1_check: addressMatters ? 'unchecked' : null,
    address_postal_code_check: addressMatters ? 'unchecked' : null,
  };
  return buildProfile(card.number, today.getUTCMonth() + 1, today.getUTCFullYear() + 1, checks, context);
}
