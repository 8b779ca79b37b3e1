// The built-in network: a simulated card network driven by Stripe's test card
// table (test-cards.json). It answers as an issuer would for each test card
// (declines, 3-D Secure, risk, checks, refunds, disputes) and approves any
// other valid number with the table's defaults.
import { createHmac } from 'node:crypto';
import type {
  AuthenticationRequired,
  AuthorizeRequest,
  AuthorizeResult,
  CardProfile,
  Checks,
  Declined,
  PaymentNetwork,
  ThreeDSecureKind,
  ThreeDSecureResult,
  VerifyRequest,
  VerifyResult,
} from '../network.js';
import { testIdProfile, tokenizeCard } from './card-validation.js';
import { CARD_DEFAULTS, testCardById, testCardByTestId, type Decline, type TestCard } from './test-cards.js';

const THREE_D_SECURE_VERSION = '2.2.0';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** The simulator's fixed key for deriving an authorization's ids from its idempotency key. */
const ID_KEY = 'kassa-simulated-network';

/** A number derived from the idempotency key, one per purpose: the same key always gives the same ids. */
function derived(purpose: string, idempotencyKey: string): bigint {
  return BigInt(`0x${createHmac('sha256', ID_KEY).update(`${purpose}:${idempotencyKey}`).digest('hex')}`);
}

/** `auth_` and 24 base62 characters. */
function authorizationId(idempotencyKey: string): string {
  let value = derived('authorization', idempotencyKey);
  let out = 'auth_';
  for (let i = 0; i < 24; i++) {
    out += BASE62[Number(value % 62n)];
    value /= 62n;
  }
  return out;
}

/** 15 digits. */
function networkTransactionId(idempotencyKey: string): string {
  return (derived('network_transaction', idempotencyKey) % 10n ** 15n).toString().padStart(15, '0');
}

/** Behaviour of a profile's card: its table entry, or the defaults for any other valid number. */
function behaviourOf(profile: CardProfile): TestCard | null {
  return profile.networkRef ? (testCardById(profile.networkRef) ?? null) : null;
}

/** Check results after the issuer saw the data: only what was given gets a result. */
function checkResults(profile: CardProfile, card: TestCard | null): Checks {
  const results = card?.checks ?? CARD_DEFAULTS.checks;
  return {
    cvc_check: profile.checks.cvc_check === null ? null : results.cvc_check,
    address_line1_check: profile.checks.address_line1_check === null ? null : results.address_line1_check,
    address_postal_code_check:
      profile.checks.address_postal_code_check === null ? null : results.address_postal_code_check,
  };
}

function needsAuthentication(
  kind: ThreeDSecureKind,
  request: { offSession: boolean; setupForOffSession?: boolean; requestThreeDSecure?: boolean },
): boolean {
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
  return {
    status: 'authentication_required',
    kind,
    flow: kind === 'frictionless' ? 'frictionless' : 'challenge',
    offSession,
  };
}

function threeDSecureResult(
  kind: ThreeDSecureKind,
  authenticated: boolean,
  requested: boolean,
): ThreeDSecureResult | null {
  if (authenticated) {
    return {
      authentication_flow: kind === 'frictionless' ? 'frictionless' : 'challenge',
      result: 'authenticated',
      result_reason: null,
      version: THREE_D_SECURE_VERSION,
    };
  }
  if (requested && kind === 'not_enrolled') {
    return {
      authentication_flow: null,
      result: 'attempt_acknowledged',
      result_reason: null,
      version: THREE_D_SECURE_VERSION,
    };
  }
  return null;
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
    authorizationId: authorizationId(request.idempotencyKey),
    networkTransactionId: networkTransactionId(request.idempotencyKey),
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
  const needs =
    kind !== 'required_on_session' &&
    needsAuthentication(kind, { offSession: false, requestThreeDSecure: request.requestThreeDSecure });
  const decline = card?.decline ?? null;
  const when = card?.decline_when;

  if (decline && when === 'three_d_secure_attempted' && (authenticated || needs))
    return declined(decline, card, profile);
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

/**
 * The built-in network. Stateless: the payment rules keep each authorization's
 * state. Its answers follow from the request alone and an authorization's ids
 * from its idempotency key, so the same request with the same key gets the
 * same answer, and nothing at the network is done twice. Capture, void and
 * refund move no simulated money, so repeating them changes nothing.
 */
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
