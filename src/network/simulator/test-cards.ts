// Stripe's documented test cards, loaded from test-cards.json: the
// simulator's knowledge. Every card behaviour lives in that file; this module
// only types it (in the network's neutral types), fills in the defaults and
// indexes it by number and by pm_card_* / tok_* id.
import type { CardBrand, CardNetwork } from '../card-brands.js';
import type {
  CheckResult,
  DisputeNotice,
  Funding,
  OutcomeType,
  RefundResult,
  RiskLevel,
  ThreeDSecureKind,
} from '../network.js';
import testCardsJson from './test-cards.json' with { type: 'json' };

/** When the card's decline applies: always, only if a CVC was given, or only once 3-D Secure is attempted. */
export type DeclineWhen = 'always' | 'cvc_provided' | 'three_d_secure_attempted';

export interface Decline {
  code: string;
  decline_code: string;
  message: string;
  advice_code: string | null;
  param: string | null;
  outcome: {
    network_status: 'declined_by_network' | 'not_sent_to_network';
    reason: string;
    type: Exclude<OutcomeType, 'authorized'>;
    seller_message: string;
  };
}

export interface TestCard {
  id: string;
  section: string;
  description: string;
  number: string;
  brand: CardBrand;
  funding: Funding;
  country: string;
  /** Networks the card can run on; co-badged cards have two. */
  networks: CardNetwork[];
  payment_methods: string[];
  tokens: string[];
  /** What a payment gets when the card's decline applies (authorized when it has none). */
  outcome: OutcomeType;
  decline: Decline | null;
  decline_when: DeclineWhen;
  /** Results of the checks for the data the customer provided. */
  checks: { cvc_check: CheckResult; address_line1_check: CheckResult; address_postal_code_check: CheckResult };
  risk: { level: RiskLevel; score: number };
  three_d_secure: ThreeDSecureKind;
  refund: RefundResult;
  dispute: DisputeNotice | null;
  available_immediately: boolean;
  /** Attaching to a customer works; charging fails with the decline. */
  attach_ok_charge_fails: boolean;
  /** The issuer declines the card already when it is attached or set up. */
  attach_declined: boolean;
  captcha: boolean;
  /** No longer listed in Stripe's testing documentation. */
  legacy: boolean;
}

type RawCard = Partial<Omit<TestCard, 'decline' | 'checks' | 'outcome'>> & {
  id: string;
  number: string;
  brand: CardBrand;
  decline?: string | null;
  checks?: Partial<TestCard['checks']>;
};

interface RawTable {
  defaults: Omit<
    TestCard,
    | 'id'
    | 'section'
    | 'description'
    | 'number'
    | 'brand'
    | 'networks'
    | 'payment_methods'
    | 'tokens'
    | 'outcome'
    | 'decline'
  > & { decline: null };
  declines: Record<string, Decline>;
  cards: RawCard[];
}

const raw = testCardsJson as unknown as RawTable;

/** Behaviour of every card the table does not list otherwise (also any other valid number). */
export const CARD_DEFAULTS: Readonly<RawTable['defaults']> = raw.defaults;

function build(card: RawCard): TestCard {
  const { defaults } = raw;
  let decline: Decline | null = null;
  if (card.decline) {
    decline = raw.declines[card.decline];
    if (!decline) throw new Error(`test-cards.json: card ${card.id} names unknown decline ${card.decline}`);
  }
  const networks: CardNetwork[] = card.networks ?? (card.brand === 'unknown' ? [] : [card.brand]);
  return {
    ...defaults,
    section: '',
    description: '',
    payment_methods: [],
    tokens: [],
    ...card,
    networks,
    decline,
    outcome: decline ? decline.outcome.type : 'authorized',
    checks: { ...defaults.checks, ...card.checks },
  };
}

export const TEST_CARDS: readonly TestCard[] = raw.cards.map(build);

const byNumber = new Map<string, TestCard>();
const byId = new Map<string, TestCard>();
const byEntryId = new Map<string, TestCard>();
for (const card of TEST_CARDS) {
  byNumber.set(card.number, card);
  byEntryId.set(card.id, card);
  for (const id of [...card.payment_methods, ...card.tokens]) byId.set(id, card);
}

export function testCardByNumber(number: string): TestCard | undefined {
  return byNumber.get(number);
}

/** The table entry by its own id (what the simulator keeps in `CardProfile.networkRef`). */
export function testCardById(entryId: string): TestCard | undefined {
  return byEntryId.get(entryId);
}

/**
 * A card by `pm_card_*` or `tok_*` id. Stripe names each test card the same way
 * in both families (`pm_card_visa` / `tok_visa`), so an id listed only in the
 * other family resolves too.
 */
export function testCardByTestId(id: string): TestCard | undefined {
  const direct = byId.get(id);
  if (direct) return direct;
  if (id.startsWith('pm_card_')) return byId.get(`tok_${id.slice('pm_card_'.length)}`);
  if (id.startsWith('tok_')) return byId.get(`pm_card_${id.slice('tok_'.length)}`);
  return undefined;
}

export function testCardByPaymentMethodId(id: string): TestCard | undefined {
  return id.startsWith('pm_card_') ? testCardByTestId(id) : undefined;
}

export function testCardByTokenId(id: string): TestCard | undefined {
  return id.startsWith('tok_') ? testCardByTestId(id) : undefined;
}
