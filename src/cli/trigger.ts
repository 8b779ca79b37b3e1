// `kassa trigger EVENT`: causes EVENT on a running Kassa by making the API
// calls that produce it (its module's recipe, gathered in trigger-recipes.ts), printing each.
import { parseArgs } from 'node:util';
import { apiRequest, apiTarget, type ApiTarget } from './api-client.js';
import { resolveStep, TRIGGER_EVENTS, TRIGGER_RECIPES, type TriggerStep } from './trigger-recipes.js';

const SUPPORTED = `Supported events:\n${TRIGGER_EVENTS.map((e) => `  ${e}`).join('\n')}`;

export const TRIGGER_USAGE = `Usage: kassa trigger EVENT [--api-base URL] [--api-key KEY]

Causes EVENT on a running Kassa by making the API calls that produce it.
--api-base defaults to http://127.0.0.1:4242; --api-key to $KASSA_SECRET_KEY, then $STRIPE_API_KEY.

${SUPPORTED}`;

export async function runTrigger(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'api-base': { type: 'string' },
      'api-key': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(TRIGGER_USAGE);
    return 0;
  }
  const [event, ...extra] = positionals;
  if (!event || extra.length > 0) {
    console.error(TRIGGER_USAGE);
    return 1;
  }
  const recipe = TRIGGER_RECIPES[event];
  if (!recipe) {
    console.error(`kassa trigger: event '${event}' is not supported.\n\n${SUPPORTED}`);
    return 1;
  }
  const responses: Record<string, unknown> = {};
  try {
    const target = apiTarget(values, env);
    for (const step of recipe.steps) responses[step.name] = await runStep(target, resolveStep(step, responses));
  } catch (error) {
    // A missing key, an unreachable server, an API error: one line, no stack.
    console.error(`kassa trigger: ${(error as Error).message}`);
    return 1;
  }
  if (recipe.note) console.log(recipe.note);
  console.log(
    `Trigger succeeded! Check the events: GET /v1/events?type=${event}, your webhook endpoints, or \`kassa listen\`.`,
  );
  return 0;
}

/** Makes one call and prints it; resolves to what later steps may refer to. */
async function runStep(target: ApiTarget, step: TriggerStep): Promise<unknown> {
  const call = `${step.method.toUpperCase()} ${step.path}`;
  const response = await apiRequest(target, step.method, step.path, step.params);
  if (response.ok) {
    console.log(`${call}  ${describe(response.body)}`);
    return response.body;
  }
  const { error } = response;
  if (step.expectedErrorType && error.type === step.expectedErrorType) {
    // A decline carries the intent it left behind.
    const subject = (error.payment_intent ?? error.setup_intent) as Record<string, unknown> | undefined;
    console.log([call, ...(subject ? [describe(subject)] : []), `${error.type}: ${error.message}`].join('  '));
    return error;
  }
  throw new Error(`${call} failed (${response.status}${error.code ? ` ${error.code}` : ''}): ${error.message}`);
}

function describe(object: Record<string, unknown>): string {
  return typeof object.status === 'string' ? `${object.id} (${object.status})` : String(object.id);
}
