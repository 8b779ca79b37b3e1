// The card network as the payment rules see it: the PaymentNetwork interface
// (turn raw card details into a non-sensitive profile, then authorize, verify,
// capture, void and refund) and the neutral types it speaks, the ones any
// processor connector produces. A real connector implements PaymentNetwork;
// the built-in simulator, driven by Stripe's test cards, is in simulator/.
// Nothing here knows the simulator.
import { createHmac } from 'node:crypto';
import type { CardBrand } from './card-brands.js';

export type Funding = 'credit' | 'debit' | 'prepaid' | 'unknown';
export type CheckResult = 'pass' | 'fail' | 'unavailable' | 'unchecked';
export type RiskLevel = 'normal' | 'elevated' | 'highest';
export type OutcomeType = 'authorized' | 'issuer_declined' | 'blocked';

export interface Checks {
  cvc_check: CheckResult | null;
  address_line1_check: CheckResult | null;
  address_postal_code_check: CheckResult | null;
}

/**
 * When a card asks for 3-D Secure:
 * - not_enrolled: supported but never prompts (requests end as attempt_acknowledged)
 * - not_supported: 3-D Secure cannot run; payments go ahead without it
 * - optional: prompts only when the merchant requests it
 * - required: every on-session payment; off-session only works once set up
 * - required_unless_setup: same rule, for cards described as "authenticate unless set up"
 * - required_on_session: on-session payments only; off-session always works
 * - always: every payment, on- or off-session, set up or not
 * - frictionless: every payment, completed without a challenge
 */
export type ThreeDSecureKind =
  | 'not_enrolled'
  | 'not_supported'
  | 'optional'
  | 'required'
  | 'required_unless_setup'
  | 'required_on_session'
  | 'always'
  | 'frictionless';

/** The network's answer to a refund: settled now or pending, and the word it will send later, if any. */
export interface RefundResult {
  status: 'succeeded' | 'pending';
  later?: { status: 'succeeded' | 'failed'; failure_reason: string | null };
}

/** A dispute (or early fraud warning) the network will raise after a charge. */
export interface DisputeNotice {
  kind: 'chargeback' | 'inquiry' | 'early_fraud_warning';
  reason: string | null;
  count?: number;
  program?: string;
  prevention?: string;
}

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
  /** The network's own reference to this card, opaque to the payment rules; the simulator keeps its test-card id there. */
  networkRef?: string;
}

export type CardErrorCode =
  | 'incorrect_number'
  | 'invalid_number'
  | 'invalid_expiry_month'
  | 'invalid_expiry_year'
  | 'invalid_cvc';

export interface CardError {
  code: CardErrorCode;
  param: 'number' | 'exp_month' | 'exp_year' | 'cvc';
  message: string;
}

export type TokenizeResult = { ok: true; profile: CardProfile } | { ok: false; error: CardError };

export interface AuthorizeRequest {
  /**
   * Names this authorization attempt; unique per attempt, and the same when the
   * attempt is sent again (after a timeout or a crash). See PaymentNetwork.authorize.
   */
  idempotencyKey: string;
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
  dispute: DisputeNotice | null;
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
  /** Names this refund; the same when it is sent again. See PaymentNetwork.refund. */
  idempotencyKey: string;
  authorizationId: string;
  amount: number;
  profile: CardProfile;
}

export interface PaymentNetwork {
  tokenize(card: CardInput, context: TokenizeContext): Promise<TokenizeResult>;
  /** Profile for a `pm_card_*` / `tok_*` test id; null when the id names no test card. */
  profileForTestId(id: string, context: TokenizeContext): Promise<CardProfile | null>;
  /**
   * Asks the issuer to authorize (and, with captureMethod automatic, capture) a payment.
   * Idempotent by `request.idempotencyKey`: the same key always gets the same
   * answer and at most one authorization at the network, so a call repeated
   * after a crash never charges twice.
   */
  authorize(request: AuthorizeRequest): Promise<AuthorizeResult>;
  /** Zero-amount check when a card is attached to a customer or set up for later. Moves no money. */
  verify(request: VerifyRequest): Promise<VerifyResult>;
  /** Captures `amount` of an authorization. Idempotent by the authorization id: capturing it again captures nothing more. */
  capture(authorizationId: string, amount: number): Promise<{ status: 'succeeded'; amount: number }>;
  /** Releases an uncaptured authorization. Idempotent by the authorization id: voiding it again changes nothing. */
  void(authorizationId: string): Promise<{ status: 'succeeded' }>;
  /**
   * Refunds part or all of a captured authorization. Idempotent by
   * `request.idempotencyKey`: the same key always gets the same answer and at
   * most one refund at the network.
   */
  refund(request: RefundRequest): Promise<RefundResult>;
}

/** The error an off-session payment gets when the card asks for authentication. */
export const AUTHENTICATION_REQUIRED_ERROR = {
  code: 'authentication_required',
  decline_code: 'authentication_required',
  message: 'Your card was declined. This transaction requires authentication.',
} as const;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A card number's fingerprint: HMAC-SHA256 of the number under the key, as 16 base62 characters. */
export function fingerprint(number: string, key: string): string {
  let value = BigInt(`0x${createHmac('sha256', key).update(number).digest('hex')}`);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out += BASE62[Number(value % 62n)];
    value /= 62n;
  }
  return out;
}
