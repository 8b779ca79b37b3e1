// Chaos mode (a Kassa extension): an endpoint option that duplicates, delays
// and reorders deliveries within bounds, so that a merchant can prove that
// its webhook handler is idempotent and independent of arrival order. Plain
// rules here; the dispatcher applies them and the routes store them.
import { createHash } from 'node:crypto';
import { invalidParam } from '../server/errors.js';

export const MAX_CHAOS_DELAY_MS = 60_000;

/** Kept in the endpoint's private data while chaos mode is on. */
export interface ChaosSettings {
  /** Probability, 0 to 1, that a delivery attempt is posted twice. */
  duplicate_rate: number;
  /** Each post waits a random time from 0 to this many milliseconds first. */
  max_delay_ms: number;
  /** Deliveries to the endpoint that are due together are posted one by one in a shuffled order. */
  reorder: boolean;
  /** Makes the random choices reproducible; null draws them at random. */
  seed: number | null;
}

export interface ChaosParams {
  enabled?: boolean;
  duplicate_rate?: number;
  max_delay_ms?: number;
  reorder?: boolean;
  seed?: number | '';
}

export const CHAOS_OFF: ChaosSettings = { duplicate_rate: 0, max_delay_ms: 0, reorder: false, seed: null };

/** The new settings (undefined: chaos off) from the current ones and the request's; omitted parameters keep their values. */
export function applyChaosParams(current: ChaosSettings | undefined, params: ChaosParams): ChaosSettings | undefined {
  if (params.enabled === false) return undefined;
  const next: ChaosSettings = { ...(current ?? CHAOS_OFF) };
  if (params.duplicate_rate !== undefined) {
    if (!(params.duplicate_rate >= 0 && params.duplicate_rate <= 1))
      throw invalidParam('duplicate_rate must be a number from 0 to 1.', 'duplicate_rate');
    next.duplicate_rate = params.duplicate_rate;
  }
  if (params.max_delay_ms !== undefined) {
    if (!(params.max_delay_ms >= 0 && params.max_delay_ms <= MAX_CHAOS_DELAY_MS)) {
      throw invalidParam(`max_delay_ms must be an integer from 0 to ${MAX_CHAOS_DELAY_MS}.`, 'max_delay_ms');
    }
    next.max_delay_ms = params.max_delay_ms;
  }
  if (params.reorder !== undefined) next.reorder = params.reorder;
  if (params.seed !== undefined) {
    if (params.seed !== '' && !(Number.isSafeInteger(params.seed) && params.seed >= 0))
      throw invalidParam('seed must be a non-negative integer.', 'seed');
    next.seed = params.seed === '' ? null : params.seed;
  }
  return next;
}

/** The API view: `GET /v1/kassa/webhook_endpoints/{id}/chaos`. */
export interface ChaosObject extends ChaosSettings {
  object: 'kassa.webhook_chaos';
  endpoint: string;
  enabled: boolean;
}

export function chaosObject(endpointId: string, settings: ChaosSettings | undefined): ChaosObject {
  return {
    object: 'kassa.webhook_chaos',
    endpoint: endpointId,
    enabled: settings !== undefined,
    ...(settings ?? CHAOS_OFF),
  };
}

/** A number in [0, 1): from the seed and `parts` when seeded, so that the same delivery gets the same choice; else random. */
function draw(settings: ChaosSettings, ...parts: Array<string | number>): number {
  if (settings.seed === null) return Math.random();
  const digest = createHash('sha256')
    .update(`${settings.seed}:${parts.join(':')}`)
    .digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** What chaos does to one delivery attempt: the delay of each post, one post or two. */
export function chaosPlan(settings: ChaosSettings, eventId: string, endpointId: string, attempt: number): number[] {
  const delay = (copy: number) =>
    Math.floor(draw(settings, eventId, endpointId, attempt, copy, 'delay') * (settings.max_delay_ms + 1));
  const duplicate =
    settings.duplicate_rate > 0 && draw(settings, eventId, endpointId, attempt, 'duplicate') < settings.duplicate_rate;
  return duplicate ? [delay(0), delay(1)] : [delay(0)];
}

/** A shuffled copy of `items` (Fisher-Yates); with a seed the permutation depends only on the seed, `round` and the count. */
export function chaosShuffle<T>(settings: ChaosSettings, items: T[], round: number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(draw(settings, 'shuffle', round, out.length, i) * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
