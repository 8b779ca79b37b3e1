// Card number rules shared by the server and the browser library: Luhn, brand
// by leading digits (also for partial numbers while typing), lengths, CVC
// length, display grouping and Stripe's brand names. Pure code: no Node
// imports, so it can be bundled for the browser.

/** Stripe's `card.brand` values that can be told from the number alone. */
export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'diners' | 'jcb' | 'unionpay' | 'unknown';

/** Networks a card can be processed on (`card.networks.available`); co-badged cards list two. */
export type CardNetwork = Exclude<CardBrand, 'unknown'> | 'cartes_bancaires' | 'eftpos_au';

export const CARD_BRANDS: readonly CardBrand[] = [
  'visa',
  'mastercard',
  'amex',
  'discover',
  'diners',
  'jcb',
  'unionpay',
  'unknown',
];

/** Leading-digit ranges, inclusive, as equally long digit strings. */
const RANGES: Record<Exclude<CardBrand, 'unknown'>, ReadonlyArray<readonly [string, string]>> = {
  visa: [['4', '4']],
  mastercard: [
    ['51', '55'],
    ['2221', '2720'],
  ],
  amex: [
    ['34', '34'],
    ['37', '37'],
  ],
  discover: [
    ['60', '60'],
    ['64', '65'],
  ],
  diners: [
    ['30', '30'],
    ['36', '36'],
    ['38', '39'],
  ],
  jcb: [['3528', '3589']],
  unionpay: [
    ['62', '62'],
    ['81', '81'],
  ],
};

const LENGTHS: Record<CardBrand, readonly number[]> = {
  visa: [13, 16, 19],
  mastercard: [16],
  amex: [15],
  discover: [16, 17, 18, 19],
  diners: [14, 16, 17, 18, 19],
  jcb: [16, 17, 18, 19],
  unionpay: [16, 17, 18, 19],
  unknown: [12, 13, 14, 15, 16, 17, 18, 19],
};

const DISPLAY_BRAND: Record<CardNetwork | 'unknown', string> = {
  visa: 'visa',
  mastercard: 'mastercard',
  amex: 'american_express',
  discover: 'discover',
  diners: 'diners_club',
  jcb: 'jcb',
  unionpay: 'union_pay',
  cartes_bancaires: 'cartes_bancaires',
  eftpos_au: 'eftpos_australia',
  unknown: 'other',
};

const BRAND_NAME: Record<CardNetwork | 'unknown', string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  cartes_bancaires: 'Cartes Bancaires',
  eftpos_au: 'eftpos Australia',
  unknown: 'Unknown',
};

const DIGITS = /^\d+$/;

/** The digits of a typed card number with spaces and dashes removed; null if anything else is in it. */
export function normalizeCardNumber(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return DIGITS.test(digits) ? digits : null;
}

export function luhnValid(number: string): boolean {
  if (!DIGITS.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = number.charCodeAt(number.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Could a number starting with `digits` fall in [low, high]? */
function compatible(digits: string, [low, high]: readonly [string, string]): boolean {
  const width = low.length;
  if (digits.length >= width) {
    const prefix = Number(digits.slice(0, width));
    return prefix >= Number(low) && prefix <= Number(high);
  }
  const scale = 10 ** (width - digits.length);
  const first = Number(digits) * scale;
  const last = first + scale - 1;
  return first <= Number(high) && last >= Number(low);
}

/** Brand from the leading digits; a partial number gets a brand only when exactly one brand can still match. */
export function detectBrand(digits: string): CardBrand {
  if (!DIGITS.test(digits)) return 'unknown';
  const matches = (Object.keys(RANGES) as Array<keyof typeof RANGES>).filter((brand) =>
    RANGES[brand].some((range) => compatible(digits, range)),
  );
  return matches.length === 1 ? matches[0] : 'unknown';
}

export function cardLengths(brand: CardBrand): readonly number[] {
  return LENGTHS[brand];
}

/** Whether the number's length is one its brand issues. */
export function validLength(digits: string): boolean {
  return LENGTHS[detectBrand(digits)].includes(digits.length);
}

export function maxLength(brand: CardBrand): number {
  return Math.max(...LENGTHS[brand]);
}

export function cvcLength(brand: CardBrand): number {
  return brand === 'amex' ? 4 : 3;
}

/** Sizes of the digit groups shown for a number of this brand and length. */
export function formatGroups(brand: CardBrand, length: number): number[] {
  if (brand === 'amex') return [4, 6, 5];
  if (brand === 'diners' && length === 14) return [4, 6, 4];
  const groups: number[] = [];
  for (let left = Math.max(length, 16); left > 0; left -= 4) groups.push(Math.min(4, left));
  return groups;
}

/** `4242424242424242` -> `4242 4242 4242 4242`; also formats partial numbers. */
export function formatCardNumber(digits: string): string {
  const groups = formatGroups(detectBrand(digits), digits.length);
  const parts: string[] = [];
  let at = 0;
  for (const size of groups) {
    if (at >= digits.length) break;
    parts.push(digits.slice(at, at + size));
    at += size;
  }
  if (at < digits.length) parts.push(digits.slice(at));
  return parts.join(' ');
}

/** Stripe's `card.display_brand` value (`american_express`, `diners_club`, `union_pay`, ...). */
export function displayBrand(brand: CardNetwork | 'unknown'): string {
  return DISPLAY_BRAND[brand];
}

/** Human-readable brand name as Stripe prints it. */
export function brandName(brand: CardNetwork | 'unknown'): string {
  return BRAND_NAME[brand];
}
