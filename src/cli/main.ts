// `kassa <command>`: serve, accounts create, accounts list, trigger, events resend.
import { parseArgs } from 'node:util';
import { runAccounts } from './accounts.js';
import { runEvents } from './events.js';
import { runListen } from './listen.js';
import { runServe } from './serve.js';
import { runTrigger } from './trigger.js';

const USAGE = `Usage: kassa <command> [options]

Commands:
  serve [--host H] [--port P]     Start the API server (default 127.0.0.1:4242)
  accounts create [--json]        Create an account with new test keys
  accounts list [--json]          List accounts (keys masked)
  trigger EVENT                   Cause EVENT on a running Kassa with real API calls
                                  (kassa trigger --help lists the events)
  events resend EVT [--endpoint we_...]
                                  Deliver an event to webhook endpoints again
  listen --forward-to URL [--events a,b] [--print-secret]
                                  Forward a running Kassa's events to URL, signed
                                  (as stripe listen does)
  (listen, trigger and events take --api-base URL, default http://127.0.0.1:4242, and
  --api-key KEY, default $KASSA_SECRET_KEY or $STRIPE_API_KEY)

Environment: DATABASE_URL (postgres://... to use PostgreSQL), KASSA_DATA_DIR,
HOST, PORT, KASSA_SECRET_KEY, KASSA_PUBLISHABLE_KEY, KASSA_LOG_LEVEL,
KASSA_FEE_RULE (JSON, e.g. {"percent_bps":290,"fixed":{"usd":30}}).`;

export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (error) {
    // Bad flags, a port in use, an unreachable database: a message, not a stack trace.
    console.error(`kassa: ${(error as Error).message}`);
    return 1;
  }
}

async function run(argv: string[]): Promise<number> {
  // Commands that talk to a running Kassa parse their own flags.
  if (argv[0] === 'trigger') return runTrigger(argv.slice(1));
  if (argv[0] === 'events') return runEvents(argv.slice(1));
  if (argv[0] === 'listen') return runListen(argv.slice(1));
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, sub] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 1;
  }
  if (command === 'serve') return runServe({ host: values.host, port: values.port });
  if (command === 'accounts') return runAccounts(sub, { json: values.json });
  console.error(`kassa: unknown command '${command}'\n\n${USAGE}`);
  return 1;
}
