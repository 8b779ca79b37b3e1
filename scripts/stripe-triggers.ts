// Surveys the official Stripe CLI's `stripe trigger` fixtures against Kassa:
// every event `stripe trigger --help` lists, each on a fresh account of a
// Kassa on a temporary SQLite file, run as the tests run the CLI (fresh
// HOME, telemetry off, a dead proxy for anything not on loopback). Prints,
// per event, whether its event was recorded, the calls succeeded without
// it, or the first error; docs/cli.md's lists come from this.
//   node --import tsx scripts/stripe-triggers.ts [event ...]
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKassa } from '../test/support/kassa.js';
import { stripeCliBinary, stripeCliEnv } from '../test/support/listeners.js';

const TIMEOUT_MS = 60_000;

function stripe(args: string[]): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile(stripeCliBinary(), args, { env: stripeCliEnv(), timeout: TIMEOUT_MS }, (error, stdout, stderr) =>
      resolve({ ok: !error, output: `${stdout}${stderr}` }),
    );
  });
}

async function supportedEvents(): Promise<string[]> {
  const help = (await stripe(['trigger', '--help'])).output;
  const section = help.split('Supported events:')[1]?.split('\n\n')[0] ?? '';
  return section
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

const kassa = await startKassa({ sqlitePath: join(mkdtempSync(join(tmpdir(), 'kassa-stripe-triggers-')), 'kassa.db') });
try {
  const events = process.argv.length > 2 ? process.argv.slice(2) : await supportedEvents();
  const counts = { recorded: 0, no_event: 0, failed: 0 };
  for (const event of events) {
    const account = await kassa.newAccount();
    const run = await stripe(['trigger', event, '--api-base', kassa.url, '--api-key', account.secret_key]);
    let verdict: keyof typeof counts = 'failed';
    let detail =
      /Trigger failed: (.*)/.exec(run.output)?.[1]?.slice(0, 200) ?? run.output.trim().split('\n').pop() ?? '';
    if (run.ok) {
      const client = kassa.clientFor(account.secret_key);
      // Events are recorded with the calls' own transactions; allow a moment for ones that follow from jobs.
      let found = false;
      for (let i = 0; i < 20 && !found; i++) {
        found = (await client.events.list({ type: event, limit: 1 })).data.length > 0;
        if (!found) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      verdict = found ? 'recorded' : 'no_event';
      detail = '';
    }
    counts[verdict]++;
    console.log(`${verdict.padEnd(8)}  ${event}${detail ? `  ${detail}` : ''}`);
  }
  console.log(
    `\n${events.length} fixtures: ${counts.recorded} recorded their event, ${counts.no_event} succeeded without it, ${counts.failed} failed.`,
  );
} finally {
  await kassa.close();
}
