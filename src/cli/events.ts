// `kassa events resend EVT [--endpoint we_...]`: asks a running Kassa to
// deliver an event again (POST /v1/kassa/events/{id}/resend, docs/webhooks.md).
import { parseArgs } from 'node:util';
import { apiRequest, apiTarget } from './api-client.js';

export const EVENTS_USAGE = `Usage: kassa events resend EVT [--endpoint we_...] [--api-base URL] [--api-key KEY]

Delivers event EVT again: to the endpoint given, or to every enabled endpoint subscribed to its type.
--api-base defaults to http://127.0.0.1:4242; --api-key to $KASSA_SECRET_KEY, then $STRIPE_API_KEY.`;

export async function runEvents(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      endpoint: { type: 'string' },
      'api-base': { type: 'string' },
      'api-key': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(EVENTS_USAGE);
    return 0;
  }
  const [sub, eventId, ...extra] = positionals;
  if (sub !== 'resend' || !eventId || extra.length > 0) {
    console.error(EVENTS_USAGE);
    return 1;
  }
  try {
    const target = apiTarget(values, env);
    const params = values.endpoint ? { endpoint: values.endpoint } : {};
    const path = `/v1/kassa/events/${encodeURIComponent(eventId)}/resend`;
    const response = await apiRequest(target, 'post', path, params);
    if (!response.ok)
      throw new Error(
        `POST ${path} failed (${response.status}${response.error.code ? ` ${response.error.code}` : ''}): ${response.error.message}`,
      );
    const to = values.endpoint ?? `every enabled endpoint subscribed to ${response.body.type}`;
    console.log(`Resending ${response.body.id} (${response.body.type}) to ${to}.`);
    console.log(`Follow the attempts with GET /v1/kassa/webhook_attempts?event=${response.body.id}.`);
    return 0;
  } catch (error) {
    console.error(`kassa events: ${(error as Error).message}`);
    return 1;
  }
}
