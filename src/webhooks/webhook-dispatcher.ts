// The webhook dispatcher every Kassa process runs: it claims due delivery
// jobs (a claim is a lease: a process that dies holding claims has them taken
// over once the lease, the delivery timeout plus a margin, runs out), posts
// many deliveries at once over keep-alive connections, and records their
// outcomes as soon as they come, together those that came while the previous
// write was running. It wakes at once when this process commits deliveries
// (the `jobsScheduled` signal) and also polls, for other processes' work and
// for retries coming due. A delivery keeps its slot until its outcome is
// recorded, so that what a crash makes it send again (posted, not yet
// recorded) is bounded by the slots. An endpoint has a bounded number of
// slots; more deliveries wait in the process for a free one, unless the
// endpoint has stalled (no outcome for a second), when they are given back to
// be claimed later: a hanging endpoint cannot hold up the others.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { jobsScheduled } from '../jobs/jobs.js';
import type { Clock } from '../server/clock.js';
import type { StoredRow, Store } from '../store/store.js';
import { claimDueJobs, extendClaim, hasDueJobs, releaseJob, type JobRow } from '../jobs/job-store.js';
import { chaosPlan, chaosShuffle, type ChaosSettings } from './webhook-chaos.js';
import {
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  recordDelivery,
  WEBHOOK_DELIVERY_JOB,
  type DeliveryPayload,
  type DeliveryResult,
  type JitterSource,
} from './webhook-delivery.js';
import { createPoster, type PostOutcome } from './webhook-post.js';
import { signatureHeader } from '../events/signature.js';
import type { EndpointSecret, WebhookEndpoint } from './webhook-endpoints.js';
import { eventsByIds } from '../events/event-store.js';
import { getObjectRow } from '../store/objects.js';

export const DEFAULT_DISPATCH_POLL_MS = 1000;
/** Deliveries a process holds at once: waiting for a slot at their endpoint, posting, or being recorded. */
export const DEFAULT_CONCURRENCY = 128;
/** Deliveries in flight at once to one endpoint (posting, or posted and not yet recorded): a hanging endpoint holds at most this many slots, and a crash re-sends at most this many to it. */
export const DEFAULT_PER_ENDPOINT = 32;
/** A claim lasts the delivery timeout plus this, so that a claim left by a dead process is taken over soon after. */
export const LEASE_MARGIN_SECONDS = 5;
/** An endpoint with every slot taken and no outcome for this long is stalled: its further deliveries are not held. */
const STALL_MS = 1000;
const CLAIM_BATCH = 64;
/** Outcome writes running at once: on PostgreSQL each write is a connection's round trips, which under load take milliseconds each. */
const RECORD_WRITES = 4;
/** runDue stops after this many batches, so that deliveries scheduling due deliveries cannot keep it busy forever. */
const MAX_BATCHES_PER_RUN = 50;
const ONLY_DELIVERIES = { only: WEBHOOK_DELIVERY_JOB };

export interface WebhookDispatcherOptions {
  store: Store;
  clock: Clock;
  timeoutMs?: number;
  jitter?: JitterSource;
  logger?: Logger | false;
  concurrency?: number;
  perEndpoint?: number;
}

export interface WebhookDispatcher {
  /**
   * Delivers everything due at `now` (the clock's time by default) and
   * records the outcomes; resolves with how many deliveries were recorded.
   * For tests that drive deliveries step by step with the background stopped.
   */
  runDue(now?: number): Promise<number>;
  /** Runs in the background: wakes on this process's commits and polls every `pollMs`. */
  start(pollMs?: number): void;
  /** Stops the background and waits for the deliveries in flight to be recorded. */
  stop(): Promise<void>;
}

/** A claimed delivery with what posting it needs (absent when it is skipped). */
interface Delivery {
  job: JobRow;
  payload: DeliveryPayload;
  target?: { url: string; secret: string; body: string; eventSeq: number; chaos?: ChaosSettings };
}

/** An endpoint's deliveries in this process: `inFlight` posting or being recorded; `progressAt`: when one was last recorded (or the first started). */
interface EndpointLoad {
  inFlight: number;
  waiting: Delivery[];
  progressAt: number;
}

interface Recorded {
  delivery: Delivery;
  result: DeliveryResult;
  now: number;
}

export function leaseSeconds(timeoutMs: number): number {
  return Math.ceil(timeoutMs / 1000) + LEASE_MARGIN_SECONDS;
}

export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const { store, clock } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const jitter = options.jitter ?? Math.random;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const perEndpoint = options.perEndpoint ?? DEFAULT_PER_ENDPOINT;
  const lease = leaseSeconds(timeoutMs);
  const log = options.logger || undefined;
  const poster = createPoster({ timeoutMs, maxSockets: concurrency });

  async function claim(now: number, limit: number): Promise<JobRow[]> {
    if (!(await hasDueJobs(store.read, now, ONLY_DELIVERIES))) return [];
    return store.transaction((tx) => claimDueJobs(tx, now, now + lease, limit, ONLY_DELIVERIES));
  }

  /** Reads the events (one query) and endpoints (once each) of a batch of claimed jobs. */
  async function prepare(jobs: JobRow[]): Promise<Delivery[]> {
    const payloads = jobs.map((job) => JSON.parse(job.payload) as DeliveryPayload);
    const accountOf = new Map(payloads.map((p, i) => [p.endpoint, jobs[i]!.accountId]));
    const [events, endpointRows] = await Promise.all([
      eventsByIds(store.read, [...new Set(payloads.map((p) => p.event))]),
      Promise.all([...accountOf].map(([id, accountId]) => getObjectRow(store.read, accountId, id))),
    ]);
    const endpoints = new Map<string, StoredRow | undefined>(
      [...accountOf.keys()].map((id, i) => [id, endpointRows[i]]),
    );
    return jobs.map((job, i) => {
      const payload = payloads[i]!;
      const event = events.get(payload.event);
      const row = endpoints.get(payload.endpoint);
      // A deleted or disabled endpoint gets no further attempts, as on Stripe.
      if (
        !event ||
        event.accountId !== job.accountId ||
        !row ||
        row.deleted ||
        row.type !== 'webhook_endpoint' ||
        !row.private
      )
        return { job, payload };
      const endpoint = JSON.parse(row.doc) as WebhookEndpoint;
      if (endpoint.status !== 'enabled') return { job, payload };
      const { secret, chaos } = JSON.parse(row.private) as EndpointSecret;
      return { job, payload, target: { url: endpoint.url, secret, body: event.doc, eventSeq: event.seq, chaos } };
    });
  }

  /** Posts one delivery (twice, or late, when chaos says so), each post signed at its own time. */
  async function deliver(delivery: Delivery, now: number): Promise<DeliveryResult> {
    const { target, payload, job } = delivery;
    if (!target) return { skipped: true };
    const plan = target.chaos ? chaosPlan(target.chaos, payload.event, payload.endpoint, payload.attempt) : [0];
    // A delivery that waited for a slot, or that chaos delays, holds its claim longer first; one that lost its claim meanwhile is not sent.
    const needed =
      Math.max(now, clock.now()) +
      Math.ceil(timeoutMs / 1000) +
      1 +
      Math.ceil(plan.reduce((sum, d) => sum + d, 0) / 1000);
    if (job.claimedUntil !== null && job.claimedUntil < needed) {
      const until = needed + LEASE_MARGIN_SECONDS;
      if (!(await store.transaction((tx) => extendClaim(tx, job.id, job.attempts, until)))) return { skipped: true };
      job.claimedUntil = until;
    }
    const posts: Array<PostOutcome & { chaos: { delay_ms: number; duplicate: boolean } | null }> = [];
    for (const delay of plan) {
      if (delay > 0) await sleep(delay);
      const outcome = await poster.post(
        target.url,
        target.body,
        signatureHeader(target.body, target.secret, clock.now()),
      );
      posts.push({ ...outcome, chaos: target.chaos ? { delay_ms: delay, duplicate: posts.length > 0 } : null });
    }
    return { skipped: false, posts };
  }

  /** Delivers a batch: each at once, except that a reordering endpoint's deliveries go one by one in a shuffled order. */
  function deliverAll(deliveries: Delivery[], now: number, onDone: (recorded: Recorded) => void): Promise<void>[] {
    const running: Promise<void>[] = [];
    const reordered = new Map<string, Delivery[]>();
    for (const delivery of deliveries) {
      const chaos = delivery.target?.chaos;
      if (chaos?.reorder)
        reordered.set(delivery.payload.endpoint, [...(reordered.get(delivery.payload.endpoint) ?? []), delivery]);
      else running.push(deliver(delivery, now).then((result) => onDone({ delivery, result, now })));
    }
    for (const group of reordered.values()) {
      // Shuffled from the order the events happened in, so that a seed gives the same permutation every time.
      const inOrder = group.sort((a, b) => a.target!.eventSeq - b.target!.eventSeq);
      const shuffled = chaosShuffle(group[0]!.target!.chaos!, inOrder, shuffleRound++);
      running.push(
        (async () => {
          for (const delivery of shuffled) onDone({ delivery, result: await deliver(delivery, now), now });
        })(),
      );
    }
    return running;
  }
  let shuffleRound = 0;

  /** Records outcomes in one transaction; if that fails, each in its own, so that one bad outcome does not hold up the rest. */
  async function record(batch: Recorded[]): Promise<number> {
    const write = (items: Recorded[]) =>
      store.transaction(async (tx) => {
        let n = 0;
        for (const { delivery, result, now } of items)
          if (await recordDelivery(tx, delivery.job, delivery.payload, result, now, jitter)) n++;
        return n;
      });
    // Locks on events are taken in one order, so that two processes' batches do not deadlock.
    const sorted = [...batch].sort((a, b) => (a.delivery.payload.event < b.delivery.payload.event ? -1 : 1));
    try {
      return await write(sorted);
    } catch (error) {
      log?.warn({ err: error }, 'recording webhook deliveries together failed; recording one by one');
      let n = 0;
      for (const item of sorted) {
        try {
          n += await write([item]);
        } catch (each) {
          // The claim runs out and the delivery is made again: at least once.
          log?.error({ err: each, job: item.delivery.job.id }, 'recording a webhook delivery failed');
        }
      }
      return n;
    }
  }

  // ----- runDue: step by step, for tests

  let chain: Promise<unknown> = Promise.resolve();
  function serialized<T>(fn: () => Promise<T>): Promise<T> {
    const next = chain.then(fn);
    chain = next.catch(() => undefined);
    return next;
  }

  async function runDueOnce(now: number): Promise<number> {
    let recorded = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      const jobs = await claim(now, CLAIM_BATCH);
      if (jobs.length === 0) break;
      const done: Recorded[] = [];
      await Promise.all(deliverAll(await prepare(jobs), now, (r) => done.push(r)));
      recorded += await record(done);
      if (jobs.length < CLAIM_BATCH) break;
    }
    return recorded;
  }

  // ----- the background

  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  /** Deliveries this process holds: waiting for a slot at their endpoint, posting, or being recorded. */
  let held = 0;
  const loads = new Map<string, EndpointLoad>();
  let pumping: Promise<void> | undefined;
  let pumpAgain = false;
  const toRecord: Recorded[] = [];
  let writes = 0;
  const idle = new Set<() => void>();

  function kick(): void {
    if (!running) return;
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = pump()
      .catch((error) => log?.error({ err: error }, 'webhook dispatch failed'))
      .finally(() => {
        pumping = undefined;
        if (pumpAgain) kick();
        settle();
      });
  }

  /** Whether a delivery takes one of its endpoint's slots (a chaos reordering endpoint's go one by one anyway). */
  const limited = (delivery: Delivery) => delivery.target !== undefined && !delivery.target.chaos?.reorder;

  function finished(recorded: Recorded): void {
    toRecord.push(recorded);
    flush();
  }

  /** Frees the slot of a delivery whose outcome is recorded: the next one waiting for its endpoint goes out. */
  function release(delivery: Delivery): void {
    held--;
    const load = limited(delivery) ? loads.get(delivery.payload.endpoint) : undefined;
    if (!load) return;
    load.inFlight--;
    load.progressAt = performance.now();
    const next = load.waiting.shift();
    if (next) {
      load.inFlight++;
      deliverAll([next], clock.now(), finished);
    } else if (load.inFlight === 0) {
      loads.delete(delivery.payload.endpoint);
    }
  }

  async function pump(): Promise<void> {
    do {
      pumpAgain = false;
      while (running && held < concurrency) {
        const now = clock.now();
        const jobs = await claim(now, Math.min(CLAIM_BATCH, concurrency - held));
        if (jobs.length === 0) break;
        const start: Delivery[] = [];
        const refused: Delivery[] = [];
        for (const delivery of await prepare(jobs)) {
          if (!limited(delivery)) {
            start.push(delivery);
            held++;
            continue;
          }
          const endpoint = delivery.payload.endpoint;
          let load = loads.get(endpoint);
          if (!load) loads.set(endpoint, (load = { inFlight: 0, waiting: [], progressAt: performance.now() }));
          if (load.inFlight < perEndpoint) {
            load.inFlight++;
            start.push(delivery);
            held++;
          } else if (performance.now() - load.progressAt > STALL_MS) {
            refused.push(delivery);
          } else {
            load.waiting.push(delivery);
            held++;
          }
        }
        // A stalled endpoint's deliveries are given back for a second, so that they hold no slots meanwhile.
        if (refused.length) {
          await store.transaction(async (tx) => {
            for (const { job } of refused) await releaseJob(tx, job.id, job.attempts, now + 1);
          });
        }
        deliverAll(start, now, finished);
        if (refused.length === jobs.length) break;
      }
    } while (pumpAgain && running);
  }

  /** Records what has finished at once, in a write of its own while fewer than RECORD_WRITES run; what finishes meanwhile goes into the next one. */
  function flush(): void {
    if (toRecord.length === 0 || writes >= RECORD_WRITES) return;
    const batch = toRecord.splice(0);
    writes++;
    record(batch)
      .catch((error) => log?.error({ err: error }, 'recording webhook deliveries failed'))
      .finally(() => {
        writes--;
        for (const { delivery } of batch) release(delivery);
        flush();
        kick();
        settle();
      });
  }

  /** Wakes stop() once nothing is in flight, being claimed or being recorded. */
  function settle(): void {
    if (held === 0 && !pumping && writes === 0 && toRecord.length === 0) for (const resolve of idle) resolve();
  }

  function poll(pollMs: number): void {
    timer = setTimeout(() => {
      kick();
      if (running) poll(pollMs);
    }, pollMs);
    timer.unref();
  }

  return {
    runDue: (now) => serialized(() => runDueOnce(now ?? clock.now())),
    start(pollMs = DEFAULT_DISPATCH_POLL_MS) {
      if (running) return;
      running = true;
      unsubscribe = jobsScheduled.subscribe(({ kind }) => {
        if (kind === WEBHOOK_DELIVERY_JOB) kick();
      });
      poll(pollMs);
      kick();
    },
    async stop() {
      running = false;
      unsubscribe?.();
      unsubscribe = undefined;
      if (timer) clearTimeout(timer);
      await new Promise<void>((resolve) => {
        idle.add(resolve);
        settle();
      });
      idle.clear();
      await chain;
      // Idle keep-alive connections are closed; the next delivery opens new ones.
      poster.close();
    },
  };
}
