// Checks response shapes at run time against Stripe's published schemas
// (test/support/stripe-schemas.json, derived from Stripe's OpenAPI
// description by scripts/derive-openapi.ts). Fields that newer API versions
// removed are dropped from `required` (see NEWER_API).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';

const file = JSON.parse(readFileSync(new URL('./stripe-schemas.json', import.meta.url), 'utf8')) as {
  definitions: Record<string, unknown>;
};

// OpenAPI 3.0 writes `nullable: true`; JSON Schema wants a null branch.
function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) if (k !== 'nullable') out[k] = toJsonSchema(v);
  if ((schema as { nullable?: boolean }).nullable) {
    // A nullable enum (`setup_future_usage`, `cancellation_reason`) takes null too.
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

const definitions = toJsonSchema(file.definitions) as Record<string, Record<string, unknown>>;
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ $id: 'stripe', definitions });

export function assertShape(name: string, value: unknown): void {
  assert.ok(definitions[name], `no schema named ${name}`);
  const validate = ajv.getSchema(`stripe#/definitions/${name}`)!;
  const plain = JSON.parse(JSON.stringify(value, (k, v) => (k === 'lastResponse' ? undefined : v)));
  assert.ok(validate(plain), `${name} does not match Stripe's schema: ${ajv.errorsText(validate.errors)}`);
}
