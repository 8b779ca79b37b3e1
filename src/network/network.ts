// The card network as the payment rules see it: turn raw card details into a
// non-sensitive profile, then authorize, capture, void and refund. A real
// processor connector implements PaymentNetwork; createSimulatedNetwork() is
// the built-in one, driven by Stripe's test card table.
import { createHmac, randomInt } from 'node:crypto';
import { randomString } from '../server/ids.js';
import {
  cvcLength,
  detectBrand,
  displayBrand,
  luhnValid,
  normalizeCardNumber,
  validLength,
  type CardBrand,
} from './card-brands.js';
import {
  CARD_DEFAULTS,
  testCardById,
  testCardByNumber,
  testCardByTestId,
  type Checks,
  type Decline,
  type DisputeBehaviour,
  type Funding,
  type OutcomeType,
  type RefundBehaviour,
  type RiskLevel,
  type TestCard,
  type ThreeDSecureKind,
} from './test-cards.js';

export interface CardInput {
  number: string;
  exp_month: number | string;
  exp_year: number | string;
  cvc?: string | null;
  /** Billing address parts the issuer can check; only whether they were given is kept. */
  address_line1?: string | null;
  address_postal_code?: string | null;
}

export interface TokenizeContext {
  /** Per-account secret: the same card gets the same fingerprint under the same key. */
  fingerprintKey: string;
  /** Unix seconds. */
  now: number;
}

/** What is kept of a card: never the full number or the CVC. */
export interface CardProfile {
  brand: CardBrand;
  display_brand: string;
  funding: Funding;
  country: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  fingerprint: string;
  /** `unchecked` where the customer gave the data, null where not; results come with the first authorization. */
  checks: Checks;
  networks: { available: string[]; preferred: string | null };
  three_d_secure_usage: { supported: boolean };
  /** Id of the test card table entry this card is. */
  testCard?: string;
}

export type CardErrorCode = 'incorrect_number' | 'invalid_number' | 'invalid_expiry_month' | 'invalid_expiry_year' | 'invalid_cvc';

export interface CardError {
  code: CardErrorCode;
  param: 'number' | 'exp_month' | 'exp_year' | 'cvc';
  message: string;
}

export type TokenizeResult = { ok: true; profile: CardProfile } | { ok: false; error: CardError };

export interface AuthorizeRequest {
  amount: number;
  currency: string;
  profile: CardProfile;
  captureMethod: 'automatic' | 'manual';
  offSession: boolean;
  /** A 3-D Secure authentication was completed for this payment. */
  authenticated: boolean;
  /** The card was authenticated earlier for later off-session use (a completed setup). */
  setupForOffSession?: boolean;
  /** The merchant asks for 3-D Secure even where the card does not need it (`request_three_d_secure=any`). */
  requestThreeDSecure?: boolean;
}

export interface Outcome {
  network_status: 'approved_by_network' | 'declined_by_network' | 'not_sent_to_network';
  reason: string | null;
  risk_level: RiskLevel;
  risk_score: number;
  seller_message: string;
  type: OutcomeType;
}

export interface ThreeDSecureResult {
  authentication_flow: 'challenge' | 'frictionless' | null;
  result: 'authenticated' | 'attempt_acknowledged';
  result_reason: null;
  version: string;
}

export interface Approved {
  status: 'approved';
  authorizationId: string;
  networkTransactionId: string;
  outcome: Outcome;
  checks: Checks;
  captured: boolean;
  /** Funds skip the pending balance. */
  availableImmediately: boolean;
  threeDSecure: ThreeDSecureResult | null;
  /** A dispute (or early fraud warning) the network will raise after the charge. */
  dispute: DisputeBehaviour | null;
}

export interface Declined {
  status: 'declined';
  code: string;
  decline_code: string;
  message: string;
  advice_code: string | null;
  param: string | null;
  outcome: Outcome;
  checks: Checks;
}

export interface AuthenticationRequired {
  status: 'authentication_required';
  kind: ThreeDSecureKind;
  flow: 'challenge' | 'frictionless';
  /** Off-session nobody can authenticate: the payment fails with AUTHENTICATION_REQUIRED_ERROR. */
  offSession: boolean;
}

export type AuthorizeResult = Approved | Declined | AuthenticationRequired;

export interface VerifyRequest {
  profile: CardProfile;
  authenticated?: boolean;
  requestThreeDSecure?: boolean;
}

export type VerifyResult =
  | { status: 'approved'; checks: Checks; threeDSecure: ThreeDSecureResult | null }
  | Declined
  | AuthenticationRequired;

export interface RefundRequest {
  authorizationId: string;
  amount: number;
  profile: CardProfile;
}

export interface PaymentNetwork {
  tokenize(card: CardInput, context: TokenizeContext): Promise<TokenizeResult>;
  /** Profile for a `pm_card_*` / `tok_*` test id; null when the id names no test card. */
  profileForTestId(id: string, context: TokenizeContext): Promise<CardProfile | null>;
  authorize(request: AuthorizeRequest): Promise<AuthorizeResult>;
  /** Zero-amount check when a card is attached to a customer or set up for later. */
  verify(request: VerifyRequest): Promise<VerifyResult>;
  capture(authorizationId: string, amount: number): Promise<{ status: 'succeeded'; amount: number }>;
  void(authorizationId: string): Promise<{ status: 'succeeded' }>;
  refund(request: RefundRequest): Promise<RefundBehaviour>;
}

/** The error an off-session payment gets when the card asks for authentication. */
export const AUTHENTICATION_REQUIRED_ERROR = {
  code: 'authentication_required',
  decline_code: 'authentication_required',
  message: 'Your card was declined. This transaction requires authentication.',
} as const;

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
const THREE_D_SECURE_VERSION = '2.2.0';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function cardError(code: CardErrorCode): TokenizeResult {
  return { ok: false, error: { code, param: PARAMS[code], message: MESSAGES[code] } };
}

/** HMAC-SHA256 of the number under the key, as 16 base62 characters. */
export function fingerprint(number: string, key: string): string {
  let value = BigInt(`0x${createHmac('sha256', key).update(number).digest('hex')}`);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out += BASE62[Number(value % 62n)];
    value /= 62n;
  }
  return out;
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

/** Behaviour of a profile's card: its table entry, or the defaults for any other valid number. */
function behaviourOf(profile: CardProfile): TestCard | null {
  return profile.testCard ? testCardById(profile.testCard) ?? null : null;
}

function buildProfile(number: string, expMonth: number, expYear: number, checks: Checks, context: TokenizeContext): CardProfile {
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
  if (card) profile.testCard = card.id;
  return profile;
}

function tokenizeCard(card: CardInput, context: TokenizeContext): TokenizeResult {
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
function testIdProfile(card: TestCard, context: TokenizeContext): CardProfile {
  const today = new Date(context.now * 1000);
  const addressMatters = card.checks.address_line1_check !== 'pass' || card.checks.address_postal_code_check !== 'pass';
  const checks: Checks = {
    cvc_check: 'unchecked',
    address_line1_check: addressMatters ? 'unchecked' : null,
    address_postal_code_check: addressMatters ? 'unchecked' : null,
  };
  return buildProfile(card.number, today.getUTCMonth() + 1, today.getUTCFullYear() + 1, checks, context);
}

/** Check results after the issuer saw the data: only what was given gets a result. */
function checkResults(profile: CardProfile, card: TestCard | null): Checks {
  const results = card?.checks ?? CARD_DEFAULTS.checks;
  return {
    cvc_check: profile.checks.cvc_check === null ? null : results.cvc_check,
    address_line1_check: profile.checks.address_line1_check === null ? null : results.address_line1_check,
    address_postal_code_check: profile.checks.address_postal_code_check === null ? null : results.address_postal_code_check,
  };
}

function needsAuthentication(kind: ThreeDSecureKind, request: { offSession: boolean; setupForOffSession?: boolean; requestThreeDSecure?: boolean }): boolean {
  switch (kind) {
    case 'not_enrolled':
    case 'not_supported':
      return false;
    case 'optional':
      return Boolean(request.requestThreeDSecure) && !request.offSession;
    case 'required':
    case 'required_unless_setup':
      return !request.offSession || !request.setupForOffSession;
    case 'required_on_session':
      return !request.offSession;
    case 'always':
    case 'frictionless':
      return true;
  }
}

function risk(card: TestCard | null) {
  return card?.risk ?? CARD_DEFAULTS.risk;
}

function declined(decline: Decline, card: TestCard | null, profile: CardProfile): Declined {
  const { level, score } = risk(card);
  const sent = decline.outcome.network_status !== 'not_sent_to_network';
  return {
    status: 'declined',
    code: decline.code,
    decline_code: decline.decline_code,
    message: decline.message,
    advice_code: decline.advice_code,
    param: decline.param,
    outcome: { ...decline.outcome, risk_level: level, risk_score: score },
    checks: sent ? checkResults(profile, card) : { ...profile.checks },
  };
}

function authenticationRequired(kind: ThreeDSecureKind, offSession: boolean): AuthenticationRequired {
  return { status: 'authentication_required', kind, flow: kind === 'frictionless' ? 'frictionless' : 'challenge', offSession };
}

function threeDSecureResult(kind: ThreeDSecureKind, authenticated: boolean, requested: boolean): ThreeDSecureResult | null {
  if (authenticated) {
    return { authentication_flow: kind === 'frictionless' ? 'frictionless' : 'challenge', result: 'authenticated', result_reason: null, version: THREE_D_SECURE_VERSION };
  }
  if (requested && kind === 'not_enrolled') {
    return { authentication_flow: null, result: 'attempt_acknowledged', result_reason: null, version: THREE_D_SECURE_VERSION };
  }
  return null;
}

function networkTransactionId(): string {
  let id = '';
  for (let i = 0; i < 15; i++) id += String(randomInt(10));
  return id;
}

function authorizeCard(request: AuthorizeRequest): AuthorizeResult {
  const { profile } = request;
  const card = behaviourOf(profile);
  const kind = card?.three_d_secure ?? CARD_DEFAULTS.three_d_secure;
  const decline = card?.decline ?? null;
  const when = card?.decline_when;
  const needs = needsAuthentication(kind, request);
  const attempted = request.authenticated || (needs && !request.offSession);

  if (decline && when === 'three_d_secure_attempted' && attempted) return declined(decline, card, profile);
  if (needs && !request.authenticated) return authenticationRequired(kind, request.offSession);
  if (decline && (when === 'always' || (when === 'cvc_provided' && profile.checks.cvc_check !== null))) {
    return declined(decline, card, profile);
  }

  const { level, score } = risk(card);
  return {
    status: 'approved',
    authorizationId: `auth_${randomString(24)}`,
    networkTransactionId: networkTransactionId(),
    outcome: {
      network_status: 'approved_by_network',
      reason: null,
      risk_level: level,
      risk_score: score,
      seller_message: 'Payment complete.',
      type: 'authorized',
    },
    checks: checkResults(profile, card),
    captured: request.captureMethod === 'automatic',
    availableImmediately: card?.available_immediately ?? false,
    threeDSecure: threeDSecureResult(kind, request.authenticated, Boolean(request.requestThreeDSecure)),
    dispute: card?.dispute ?? null,
  };
}

/** Setting a card up is on-session: cards already set up for off-session use pass without a challenge. */
function verifyCard(request: VerifyRequest): VerifyResult {
  const { profile } = request;
  const card = behaviourOf(profile);
  const kind = card?.three_d_secure ?? CARD_DEFAULTS.three_d_secure;
  const authenticated = Boolean(request.authenticated);
  const needs = kind !== 'required_on_session' && needsAuthentication(kind, { offSession: false, requestThreeDSecure: request.requestThreeDSecure });
  const decline = card?.decline ?? null;
  const when = card?.decline_when;

  if (decline && when === 'three_d_secure_attempted' && (authenticated || needs)) return declined(decline, card, profile);
  if (needs && !authenticated) return authenticationRequired(kind, false);
  if (decline && (card?.attach_declined || (when === 'cvc_provided' && profile.checks.cvc_check !== null))) {
    return declined(decline, card, profile);
  }
  return {
    status: 'approved',
    checks: checkResults(profile, card),
    threeDSecure: threeDSecureResult(kind, authenticated, Boolean(request.requestThreeDSecure)),
  };
}

/** The built-in network. Stateless: the payment rules keep each authorization's state. */
export function createSimulatedNetwork(): PaymentNetwork {
  return {
    async tokenize(card, context) {
      return tokenizeCard(card, context);
    },
    async profileForTestId(id, context) {
      const card = testCardByTestId(id);
      return card ? testIdProfile(card, context) : null;
    },
    async authorize(request) {
      return authorizeCard(request);
    },
    async verify(request) {
      return verifyCard(request);
    },
    async capture(_authorizationId, amount) {
      return { status: 'succeeded', amount };
    },
    async void() {
      return { status: 'succeeded' };
    },
    async refund({ profile }) {
      const refund = behaviourOf(profile)?.refund ?? CARD_DEFAULTS.refund;
      return structuredClone(refund);
    },
  };
}
