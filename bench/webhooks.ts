// The benchmark's webhook section: a fresh Kassa (SQLite) with one endpoint
// pointing at a local sink process; API writes (POST /v1/customers, each one
// event) for BENCH_DURATION seconds; events/s delivered and the latency from
// commit (the API response's arrival) to the sink's receipt. The baseline,
// measured in the same run, is the bare sink's own capacity for the same posts.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRoute, load, type LoadResult } from './load.js';
import { ROOT, startServer, type ServerProcess } from './processes.js';
import { report, type Target } from './report.js';

export const EVENTS_PER_SECOND_TARGET = 2000;
export const DELIVERY_P99_TARGET_MS = 100;
/** After the writes stop, deliveries still in flight or queued get this long to arrive. */
const DRAIN_MS = 30_000;

export interface WebhookBenchOptions {
  connections: number;
  duration: number;
  warmup: number;
  secretKey: string;
  publishableKey: string;
  apiVersion: string;
  /** Where this section's Kassa keeps its data (removed by the caller). */
  dataDir: string;
  /** Extra node arguments for the Kassa process (--cpu-prof). */
  nodeArgs: string[];
  /** Servers started here are added, so that the caller stops them. */
  servers: ServerProcess[];
  check(what: string, result: LoadResult): void;
}

const now = () => performance.timeOrigin + performance.now();

export async function webhookSection(options: WebhookBenchOptions): Promise<Target[]> {
  const { servers, secretKey, apiVersion, dataDir } = options;
  const sink = await startServer(
    'sink',
    ['--import', 'tsx', join(ROOT, 'bench/webhook-sink.ts')],
    process.env,
    /^webhook sink listening on http:\/\/[^\s]+:(\d+)/,
  );
  servers.push(sink);
  const kassa = await startServer(
    'kassa-webhooks',
    [...options.nodeArgs, join(ROOT, 'bin/kassa.js'), 'serve', '--port', '0'],
    {
      ...process.env,
      DATABASE_URL: '',
      KASSA_DATA_DIR: dataDir,
      KASSA_SECRET_KEY: secretKey,
      KASSA_PUBLISHABLE_KEY: options.publishableKey,
      KASSA_LOG_LEVEL: 'warn',
    },
    /^Kassa is listening on http:\/\/[^\s]+:(\d+)/,
  );
  servers.push(kassa);
  console.log(
    `\nWebhooks: Kassa pid ${kassa.pid} (SQLite in ${dataDir}), sink pid ${sink.pid}; one endpoint, ${options.connections} connections writing customers.`,
  );

  // The baseline: the sink's capacity for posts like Kassa's (a stored event, signed).
  const sample = await sampleEvent(kassa.url, secretKey, apiVersion, `${sink.url}/webhooks`);
  const baseline = await load(
    sink,
    {
      name: 'POST event to the bare sink',
      requests: () => [{ method: 'POST', path: '/webhooks', headers: sample.headers, body: sample.body }],
    },
    { connections: options.connections, duration: options.duration },
  );
  options.check('sink baseline', baseline);
  await fetch(`${sink.url}/results`, { method: 'DELETE' });

  // Warm-up: its deliveries are let through before the measured run.
  const warmIds: string[] = [];
  options.check(
    'webhooks warm-up',
    await load(
      kassa,
      createRoute(secretKey, apiVersion, (id) => warmIds.push(id)),
      { connections: options.connections, duration: options.warmup },
    ),
  );
  await waitForArrivals(sink.url, warmIds.length + 1);
  await fetch(`${sink.url}/results`, { method: 'DELETE' });

  const responded = new Map<string, number>();
  const started = now();
  const writes = await load(
    kassa,
    createRoute(secretKey, apiVersion, (id) => responded.set(id, now())),
    { connections: options.connections, duration: options.duration },
  );
  options.check('webhooks writes', writes);
  const arrivals = await waitForArrivals(sink.url, responded.size);

  const latencies: number[] = [];
  let last = started;
  for (const [id, at] of responded) {
    const arrived = arrivals[id];
    if (arrived === undefined) continue;
    // A delivery can beat the API response to the client: the event commits before the response is sent.
    latencies.push(Math.max(0, arrived - at));
    last = Math.max(last, arrived);
  }
  latencies.sort((a, b) => a - b);
  const delivered = latencies.length;
  const seconds = (last - started) / 1000;
  const perSecond = delivered / seconds;
  const p = (q: number) => (delivered ? latencies[Math.min(delivered - 1, Math.floor(q * delivered))]! : NaN);
  console.log(
    `  writes: ${writes.ok} customers created (${writes.reqPerSec.toFixed(0)} req/s, p99 ${writes.p99} ms, Kassa cpu ${writes.cpuPerRequest.toFixed(0)} µs per write incl. its delivery)`,
  );
  console.log(
    `  delivered: ${delivered} of ${responded.size} events in ${seconds.toFixed(1)} s, from the first write to the last arrival`,
  );
  console.log(
    `  commit -> 2xx latency: p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1) ?? '-'} ms`,
  );
  console.log(
    `  baseline: the bare sink takes ${baseline.reqPerSec.toFixed(0)} posts/s (p99 ${baseline.p99} ms); Kassa delivered ${perSecond.toFixed(0)} events/s = ${(perSecond / baseline.reqPerSec).toFixed(2)} of it`,
  );
  const missing = responded.size - delivered;
  if (missing > 0) console.log(`  ${missing} events had not arrived ${DRAIN_MS / 1000} s after the writes stopped`);
  return [
    report(
      `webhooks: ${perSecond.toFixed(0)} events/s delivered (target >= ${EVENTS_PER_SECOND_TARGET})`,
      perSecond >= EVENTS_PER_SECOND_TARGET && missing === 0,
    ),
    report(
      `webhooks: commit -> 2xx p99 = ${p(0.99).toFixed(1)} ms (target < ${DELIVERY_P99_TARGET_MS} ms)`,
      p(0.99) < DELIVERY_P99_TARGET_MS,
    ),
  ];
}

/** The sink's arrivals once it has `count` of them, or whatever it has when DRAIN_MS have passed. */
async function waitForArrivals(sinkUrl: string, count: number): Promise<Record<string, number>> {
  const deadline = Date.now() + DRAIN_MS;
  for (;;) {
    const arrivals = (await (await fetch(`${sinkUrl}/results`)).json()) as Record<string, number>;
    if (Object.keys(arrivals).length >= count || Date.now() > deadline) return arrivals;
    await sleep(100);
  }
}

/** Creates the endpoint and one event, and returns a post as Kassa sends it (for the baseline). */
async function sampleEvent(
  url: string,
  secretKey: string,
  apiVersion: string,
  sinkUrl: string,
): Promise<{ body: string; headers: Record<string, string> }> {
  const headers = {
    authorization: `Bearer ${secretKey}`,
    'stripe-version': apiVersion,
    'content-type': 'application/x-www-form-urlencoded',
  };
  const endpoint = await fetch(`${url}/v1/webhook_endpoints`, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ url: sinkUrl, 'enabled_events[0]': 'customer.created' }),
  });
  if (!endpoint.ok)
    throw new Error(`creating the webhook endpoint failed: ${endpoint.status} ${await endpoint.text()}`);
  const customer = await fetch(`${url}/v1/customers`, {
    method: 'POST',
    headers,
    body: 'email=sample%40example.com&name=Sample&metadata[order]=0&metadata[source]=bench',
  });
  if (!customer.ok) throw new Error(`creating the sample customer failed: ${customer.status}`);
  const events = (await (await fetch(`${url}/v1/events?limit=1`, { headers })).json()) as { data: unknown[] };
  return {
    body: JSON.stringify(events.data[0]),
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`,
    },
  };
}
