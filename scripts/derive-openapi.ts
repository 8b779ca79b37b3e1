// Derives the small data files Kassa needs from Stripe's OpenAPI description
// in ../shared/stripe-openapi (not shipped with the project). Run it when the
// spec is updated: `node --import tsx scripts/derive-openapi.ts`.
//   src/openapi/operations.json   every operation Stripe has, with the
//                                 request parameters it accepts (compacted)
//   test/support/stripe-schemas.json  response schemas that tests validate against
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const specPath = resolve(process.argv[2] ?? '../shared/stripe-openapi/spec3.json');
const spec = JSON.parse(readFileSync(specPath, 'utf8'));

const KEEP = new Set([
  'type',
  'properties',
  'additionalProperties',
  'items',
  'anyOf',
  'enum',
  'maxLength',
  'required',
  'format',
]);

function compact(schema: any, depth = 0): any {
  if (schema == null || typeof schema !== 'object') return schema;
  if (schema.$ref) return compact(resolveRef(schema.$ref), depth + 1);
  const out: any = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!KEEP.has(key) || (key === 'format' && value !== 'unix-time')) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, compact(v, depth + 1)]));
    } else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) {
      out[key] = compact(value, depth + 1);
    } else if (key === 'anyOf') {
      out.anyOf = (value as any[]).map((v) => compact(v, depth + 1));
    } else {
      out[key] = value;
    }
  }
  return out;
}

function resolveRef(ref: string): any {
  const name = ref.replace('#/components/schemas/', '');
  return spec.components.schemas[name];
}

const operations: any[] = [];
for (const [path, item] of Object.entries<any>(spec.paths)) {
  for (const method of ['get', 'post', 'delete']) {
    const op = item[method];
    if (!op) continue;
    const params: any = { type: 'object', properties: {} };
    const required: string[] = [];
    for (const p of op.parameters ?? []) {
      if (p.in !== 'query') continue;
      params.properties[p.name] = compact(p.schema);
      if (p.required) required.push(p.name);
    }
    const body = op.requestBody?.content?.['application/x-www-form-urlencoded']?.schema;
    if (body) {
      for (const [k, v] of Object.entries<any>(body.properties ?? {})) params.properties[k] = compact(v);
      required.push(...(body.required ?? []));
    }
    if (required.length) params.required = required;
    operations.push({ method: method.toUpperCase(), path, operationId: op.operationId, params });
  }
}
operations.sort((a, b) => (a.path + a.method).localeCompare(b.path + b.method));

const out = resolve('src/openapi/operations.json');
writeFileSync(out, JSON.stringify({ source: `stripe/openapi spec3, API ${spec.info.version}`, operations }) + '\n');
console.log(`wrote ${operations.length} operations to ${out}`);

// Response schemas for run-time shape checks in tests: only the named roots;
// references to other objects become "any object or id" so the file stays small.
const ROOTS = [
  'customer',
  'deleted_customer',
  'event',
  'error',
  'address',
  'shipping',
  'invoice_setting_customer_setting',
  'invoice_setting_custom_field',
  'invoice_setting_customer_rendering_options',
  'notification_event_data',
  'notification_event_request',
  'payment_method',
  'payment_method_card',
  'billing_details',
  'payment_intent',
  'charge',
  'charge_outcome',
  'refund',
  'balance_transaction',
  'fee',
  'balance',
  'balance_amount',
  'payment_method_details',
  'payment_method_details_card',
  'setup_intent',
  'setup_attempt',
];
const schemas: Record<string, any> = {};
function responseSchema(schema: any): any {
  if (schema == null || typeof schema !== 'object') return schema;
  if (Array.isArray(schema)) return schema.map(responseSchema);
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return ROOTS.includes(name) ? { $ref: `#/definitions/${name}` } : {};
  }
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'description' || k.startsWith('x-')) continue;
    out[k] = typeof v === 'object' ? responseSchema(v) : v;
  }
  return out;
}
for (const name of ROOTS) schemas[name] = responseSchema(spec.components.schemas[name]);
const schemaOut = resolve('test/support/stripe-schemas.json');
mkdirSync(dirname(schemaOut), { recursive: true });
writeFileSync(
  schemaOut,
  JSON.stringify({ source: `stripe/openapi spec3, API ${spec.info.version}`, definitions: schemas }, null, 1) + '\n',
);
console.log(`wrote ${ROOTS.length} schemas to ${schemaOut}`);

// Expandable fields of each API object, as dotted paths from the object
// (`invoice_settings.default_payment_method`), from `x-expandableFields`.
function expandablePaths(schema: any, prefix: string, depth: number, seen: Set<string>): string[] {
  const paths: string[] = [];
  for (const field of schema['x-expandableFields'] ?? []) paths.push(prefix + field);
  if (depth >= 2) return paths;
  for (const [name, property] of Object.entries<any>(schema.properties ?? {})) {
    const refs = [property, ...(property.anyOf ?? [])].map((p: any) => p.$ref).filter(Boolean);
    for (const ref of refs) {
      const refName = ref.replace('#/components/schemas/', '');
      const target = spec.components.schemas[refName];
      if (!target || target['x-resourceId'] || seen.has(refName)) continue;
      paths.push(...expandablePaths(target, `${prefix}${name}.`, depth + 1, new Set([...seen, refName])));
    }
  }
  return paths;
}
const expandable: Record<string, string[]> = {};
for (const [name, schema] of Object.entries<any>(spec.components.schemas)) {
  const resource = schema['x-resourceId'];
  if (!resource || !schema.properties?.object) continue;
  const paths = expandablePaths(schema, '', 0, new Set([name]));
  if (paths.length) expandable[resource] = [...new Set(paths)].sort();
}
writeFileSync(resolve('src/openapi/expandable.json'), JSON.stringify(expandable, null, 1) + '\n');
console.log(`wrote expandable fields of ${Object.keys(expandable).length} objects`);
