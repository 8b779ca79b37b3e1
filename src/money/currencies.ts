// The currencies Stripe accepts for card charges, with the amount rules
// Stripe applies to them. Sources (docs.stripe.com/currencies):
// - the presentment-currency list for card payments, plus the five
//   three-decimal currencies, which Stripe's "Invalid currency" error lists too;
// - "Minimum and maximum charge amounts": minimums per settlement currency, and
//   maximums by digit count (8 digits for most, IDR 12, INR 9; for card
//   payments LBP 11, COP/HUF/JPY 10). The page's example values for the card
//   exceptions disagree with its digit counts; the digit counts are used.
// - "Special cases": ISK and UGX are effectively zero-decimal but are still
//   sent as two-decimal amounts that must be evenly divisible by 100; HUF and
//   TWD charge two-decimal amounts (their divisible-by-100 rule is for payouts).
// - "Three-decimal currencies": amounts must end in 0 (round to the nearest ten).
//
// Stripe enforces its minimum in the account's settlement currency, converting
// at the day's rate ("Amount must convert to at least 50 cents..."). Kassa has
// no exchange rates, so it checks each listed currency against its own minimum
// and accepts any positive amount in a currency Stripe gives no minimum for.
import { invalidParam } from '../server/errors.js';

export interface Currency {
  /** Lowercase ISO 4217 code, as Stripe's API spells it. */
  code: string;
  /** Digits after the decimal point in API amounts (minor units). */
  exponent: 0 | 2 | 3;
  /** Smallest charge, in minor units. */
  minimum: number;
  /** Largest charge, in minor units. */
  maximum: number;
  /** A charge amount must be a multiple of this (1 for most currencies). */
  multipleOf: number;
  /** Decimals shown to people (ISK and UGX amounts carry two, but show none). */
  displayDecimals: number;
  /** Prefix used by formatAmount; the upper-case code when absent. */
  symbol?: string;
}

interface Row {
  exponent?: 0 | 2 | 3;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  displayDecimals?: number;
  symbol?: string;
}

const ZERO: Row = { exponent: 0 };
const THREE: Row = { exponent: 3, multipleOf: 10, minimum: 10 };
// ISK and UGX: two-decimal amounts that are always whole units.
const WHOLE_UNITS: Row = { multipleOf: 100, minimum: 100, displayDecimals: 0 };

/** The one table. Rows list only what differs from a two-decimal currency with no documented minimum. */
const TABLE: Record<string, Row> = {
  usd: { minimum: 50, symbol: '$' },
  aed: { minimum: 200 },
  afn: {},
  all: {},
  amd: {},
  ang: {},
  aoa: {},
  ars: {},
  aud: { minimum: 50, symbol: 'A$' },
  awg: {},
  azn: {},
  bam: {},
  bbd: {},
  bdt: {},
  bgn: { minimum: 100 },
  bhd: THREE,
  bif: ZERO,
  bmd: {},
  bnd: {},
  bob: {},
  brl: { minimum: 50, symbol: 'R$' },
  bsd: {},
  bwp: {},
  byn: {},
  bzd: {},
  cad: { minimum: 50, symbol: 'CA$' },
  cdf: {},
  chf: { minimum: 50 },
  clp: ZERO,
  cny: { symbol: 'CN¥' },
  cop: { maximum: 9_999_999_999 },
  crc: {},
  cve: {},
  czk: { minimum: 1500 },
  djf: ZERO,
  dkk: { minimum: 250 },
  dop: {},
  dzd: {},
  egp: {},
  etb: {},
  eur: { minimum: 50, symbol: '€' },
  fjd: {},
  fkp: {},
  gbp: { minimum: 30, symbol: '£' },
  gel: {},
  gip: {},
  gmd: {},
  gnf: ZERO,
  gtq: {},
  gyd: {},
  hkd: { minimum: 400, symbol: 'HK$' },
  hnl: {},
  htg: {},
  huf: { minimum: 17500, maximum: 9_999_999_999 },
  idr: { maximum: 999_999_999_999 },
  ils: { symbol: '₪' },
  inr: { minimum: 50, maximum: 999_999_999, symbol: '₹' },
  isk: WHOLE_UNITS,
  jmd: {},
  jod: THREE,
  jpy: { exponent: 0, minimum: 50, maximum: 9_999_999_999, symbol: '¥' },
  kes: {},
  kgs: {},
  khr: {},
  kmf: ZERO,
  krw: { exponent: 0, symbol: '₩' },
  kwd: THREE,
  kyd: {},
  kzt: {},
  lak: {},
  lbp: { maximum: 99_999_999_999 },
  lkr: {},
  lrd: {},
  lsl: {},
  mad: {},
  mdl: {},
  mga: ZERO,
  mkd: {},
  mmk: {},
  mnt: {},
  mop: {},
  mur: {},
  mvr: {},
  mwk: {},
  mxn: { minimum: 1000, symbol: 'MX$' },
  myr: { minimum: 200 },
  mzn: {},
  nad: {},
  ngn: {},
  nio: {},
  nok: { minimum: 300 },
  npr: {},
  nzd: { minimum: 50, symbol: 'NZ$' },
  omr: THREE,
  pab: {},
  pen: {},
  pgk: {},
  php: { symbol: '₱' },
  pkr: {},
  pln: { minimum: 200 },
  pyg: ZERO,
  qar: {},
  ron: { minimum: 200 },
  rsd: {},
  rub: {},
  rwf: ZERO,
  sar: {},
  sbd: {},
  scr: {},
  sek: { minimum: 300 },
  sgd: { minimum: 50 },
  shp: {},
  sle: {},
  sos: {},
  srd: {},
  std: {},
  szl: {},
  thb: { minimum: 1000 },
  tjs: {},
  tnd: THREE,
  top: {},
  try: {},
  ttd: {},
  twd: { symbol: 'NT$' },
  tzs: {},
  uah: {},
  ugx: WHOLE_UNITS,
  uyu: {},
  uzs: {},
  vnd: { exponent: 0, symbol: '₫' },
  vuv: ZERO,
  wst: {},
  xaf: ZERO,
  xcd: {},
  xof: ZERO,
  xpf: ZERO,
  yer: {},
  zar: {},
  zmw: {},
};

const DEFAULT_MAXIMUM = 99_999_999;

const CURRENCIES: ReadonlyMap<string, Currency> = new Map(
  Object.entries(TABLE).map(([code, row]) => {
    const exponent = row.exponent ?? 2;
    const currency: Currency = {
      code,
      exponent,
      minimum: row.minimum ?? 1,
      maximum: row.maximum ?? DEFAULT_MAXIMUM,
      multipleOf: row.multipleOf ?? 1,
      displayDecimals: row.displayDecimals ?? exponent,
    };
    if (row.symbol) currency.symbol = row.symbol;
    return [code, Object.freeze(currency)];
  }),
);

/** Every supported code, in the order Stripe lists them: usd first, then alphabetical. */
export const CURRENCY_CODES: readonly string[] = ['usd', ...[...CURRENCIES.keys()].filter((c) => c !== 'usd').sort()];

/** The currency for a code (any case), or undefined when Stripe does not support it. */
export function currency(code: string): Currency | undefined {
  return CURRENCIES.get(code.toLowerCase());
}

/** The currency for a request parameter, or Stripe's "Invalid currency" error. */
export function checkCurrency(code: string, param = 'currency'): Currency {
  const found = typeof code === 'string' ? currency(code) : undefined;
  if (found) return found;
  const shown = typeof code === 'string' ? code.toLowerCase() : String(code);
  throw invalidParam(
    `Invalid currency: ${shown}. Stripe currently supports these currencies: ${CURRENCY_CODES.join(', ')}`,
    param,
  );
}

/**
 * Checks a charge amount (minor units) against the currency's rules and
 * returns it. An unknown currency is reported against the `currency` param.
 */
export function checkChargeAmount(amount: number, currencyCode: string, param = 'amount'): number {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) {
    throw invalidParam(`Invalid integer: ${String(amount)}`, param, 'parameter_invalid_integer');
  }
  if (amount < 1) {
    throw invalidParam('This value must be greater than or equal to 1.', param, 'parameter_invalid_integer');
  }
  const c = checkCurrency(currencyCode);
  if (amount < c.minimum) {
    throw invalidParam(
      `Amount must be at least ${formatAmount(c.minimum, c.code)} ${c.code}`,
      param,
      'amount_too_small',
    );
  }
  if (amount > c.maximum) {
    throw invalidParam(`Amount must be no more than ${formatAmount(c.maximum, c.code)}`, param, 'amount_too_large');
  }
  if (amount % c.multipleOf !== 0) {
    throw invalidParam(notMultipleMessage(c), param);
  }
  return amount;
}

function notMultipleMessage(c: Currency): string {
  const upper = c.code.toUpperCase();
  if (c.exponent === 3) {
    return `Invalid amount. Charged amounts in ${upper} must be evenly divisible by 10 (the last of the three decimal digits must be 0). See https://stripe.com/docs/currencies#three-decimal for more information.`;
  }
  return `Invalid amount. Currency ${upper} has become effectively zero-decimal and charged amounts must be evenly divisible by ${c.multipleOf}. See https://stripe.com/docs/currencies#zero-decimal for more information.`;
}

/**
 * A minor-unit amount for people: "$10.00", "¥1,000", "€5.00", "CHF 0.50",
 * "-$1.50". Locale-independent (comma groups, dot decimals). An unknown code
 * is shown as a two-decimal amount.
 */
export function formatAmount(amount: number, currencyCode: string): string {
  const c = currency(currencyCode);
  const exponent = c?.exponent ?? 2;
  const decimals = c?.displayDecimals ?? exponent;
  const sign = amount < 0 ? '-' : '';
  const digits = BigInt(Math.abs(Math.trunc(amount)))
    .toString()
    .padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent).replace(/\B(?=(\d{3})+$)/g, ',');
  const fraction = digits.slice(digits.length - exponent, digits.length - exponent + decimals);
  const number = fraction ? `${whole}.${fraction}` : whole;
  const prefix = c?.symbol ?? `${currencyCode.toUpperCase()} `;
  return `${sign}${prefix}${number}`;
}
