// Card questions a write can put to the network before its transaction opens,
// because their answers move no money and need no record: tokenizing card data
// and the profile of a test id (`pm_card_visa`), which depend on the request
// alone and on the account's fingerprint key (never changed once made), and the
// zero-amount check of a card being attached, which depends on the card. A
// route's prepare step asks them (askAhead, askAttachAhead). In the
// transaction the handler talks to a network that answers them from memory
// (answeringAhead), so no transaction waits on the network for them. A
// question not asked ahead, or asked about something that changed meanwhile,
// goes to the network as before.
import type {
  CardInput,
  CardProfile,
  PaymentNetwork,
  TokenizeContext,
  TokenizeResult,
  VerifyResult,
} from '../network/network.js';
import { getObjectRow } from '../store/objects.js';
import type { PrepareContext } from '../server/route.js';
import type { PaymentMethodParams } from './payment-method.js';
import { cardInput, paymentMethodFromRow, TEST_ID, type CardParams } from './payment-method-store.js';
import type { PaymentServices } from './services.js';

/** The network's answers, asked under one tokenize context. */
export class AnswersAhead {
  constructor(
    readonly context: TokenizeContext,
    readonly tokenized: ReadonlyMap<string, TokenizeResult>,
    readonly profiles: ReadonlyMap<string, CardProfile | null>,
    /** Zero-amount checks, by their request. */
    readonly verified: ReadonlyMap<string, VerifyResult> = new Map(),
  ) {}

  /** Whether these answers hold for a question asked under `context`. */
  holdFor(context: TokenizeContext): boolean {
    return context.fingerprintKey === this.context.fingerprintKey && context.now === this.context.now;
  }
}

interface CardQuestions {
  cards: CardInput[];
  testIds: string[];
}

type CardSource = PaymentMethodParams & { card?: CardParams };

/** The parameters that carry card data or name a test card. */
export interface CardParamsOfRequest extends CardSource {
  payment_method?: string | '';
  payment_method_data?: CardSource & { type?: string };
}

/**
 * The card questions in a request's parameters: `card` with `billing_details`
 * (creating a PaymentMethod), `payment_method_data` (intents), and test ids in
 * `payment_method` or `card[token]`.
 */
export function cardQuestions(params: CardParamsOfRequest): CardQuestions {
  const questions: CardQuestions = { cards: [], testIds: [] };
  const ask = (source: CardSource | undefined) => {
    const card = source?.card;
    if (!card) return;
    if ('token' in card) {
      if (TEST_ID.test(card.token)) questions.testIds.push(card.token);
    } else questions.cards.push(cardInput(card, source));
  };
  ask(params);
  ask(params.payment_method_data);
  if (params.payment_method && TEST_ID.test(params.payment_method)) questions.testIds.push(params.payment_method);
  return questions;
}

/** Asks the network the request's card questions, with no transaction open; undefined when there is nothing to ask ahead. */
export async function askAhead(
  { network, fingerprintKeys }: PaymentServices,
  ctx: PrepareContext<CardParamsOfRequest>,
): Promise<AnswersAhead | undefined> {
  const questions = cardQuestions(ctx.params);
  if (questions.cards.length === 0 && questions.testIds.length === 0) return undefined;
  const fingerprintKey = await fingerprintKeys.committed(ctx.read, ctx.accountId);
  if (!fingerprintKey) return undefined;
  const context: TokenizeContext = { fingerprintKey, now: ctx.now };
  const tokenized = new Map<string, TokenizeResult>();
  const profiles = new Map<string, CardProfile | null>();
  for (const card of questions.cards) tokenized.set(JSON.stringify(card), await network.tokenize(card, context));
  for (const id of questions.testIds) profiles.set(id, await network.profileForTestId(id, context));
  return new AnswersAhead(context, tokenized, profiles);
}

/**
 * Attaching a PaymentMethod (the path's, or a new one for a test id): its
 * card's zero-amount check, asked ahead. The transaction attaches the card as
 * it finds it; a card changed meanwhile is checked there.
 */
export async function askAttachAhead(
  { network, fingerprintKeys }: PaymentServices,
  ctx: PrepareContext<unknown>,
  id: string,
): Promise<AnswersAhead | undefined> {
  const fingerprintKey = await fingerprintKeys.committed(ctx.read, ctx.accountId);
  if (!fingerprintKey) return undefined;
  const context: TokenizeContext = { fingerprintKey, now: ctx.now };
  const profiles = new Map<string, CardProfile | null>();
  let profile: CardProfile | null;
  if (TEST_ID.test(id)) {
    profile = await network.profileForTestId(id, context);
    profiles.set(id, profile);
  } else {
    const row = await getObjectRow(ctx.read, ctx.accountId, id);
    profile =
      row?.type === 'payment_method' && row.private
        ? paymentMethodFromRow(row, id, 'payment_method').secret.card
        : null;
  }
  if (!profile) return undefined;
  const request = { profile };
  const verified = new Map([[JSON.stringify(request), await network.verify(request)]]);
  return new AnswersAhead(context, new Map(), profiles, verified);
}

/** `network`, answering from `prepared` (a route's askAhead) what was asked ahead. */
export function answeringAhead(network: PaymentNetwork, prepared: unknown): PaymentNetwork {
  if (!(prepared instanceof AnswersAhead)) return network;
  return {
    tokenize(card, context) {
      const answer = prepared.holdFor(context) ? prepared.tokenized.get(JSON.stringify(card)) : undefined;
      return answer ? Promise.resolve(answer) : network.tokenize(card, context);
    },
    profileForTestId(id, context) {
      if (prepared.holdFor(context) && prepared.profiles.has(id))
        return Promise.resolve(prepared.profiles.get(id) ?? null);
      return network.profileForTestId(id, context);
    },
    authorize: (request) => network.authorize(request),
    verify(request) {
      const answer = prepared.verified.get(JSON.stringify(request));
      return answer ? Promise.resolve(answer) : network.verify(request);
    },
    capture: (authorizationId, amount) => network.capture(authorizationId, amount),
    void: (authorizationId) => network.void(authorizationId),
    refund: (request) => network.refund(request),
  };
}

/** The services with their network answering from `prepared` (see answeringAhead). */
export function servicesAnswering(services: PaymentServices, prepared: unknown): PaymentServices {
  return prepared instanceof AnswersAhead
    ? { ...services, network: answeringAhead(services.network, prepared) }
    : services;
}
