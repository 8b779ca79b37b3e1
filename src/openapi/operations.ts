// Stripe's operations as data, derived from its OpenAPI description by
// scripts/derive-openapi.ts, plus the parameters newer API versions added.
import type { ParamSchema } from '../server/params.js';
import { applyOverlay } from './overlay.js';
import operationsJson from './operations.json' with { type: 'json' };

export interface Operation {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  operationId: string;
  params: ParamSchema;
}

const data = operationsJson as unknown as { operations: Operation[] };

export const OPERATIONS: readonly Operation[] = data.operations.map((op) => ({
  ...op,
  params: applyOverlay(op.operationId, op.params),
}));

const byKey = new Map(OPERATIONS.map((op) => [`${op.method} ${op.path}`, op]));

export function findOperation(method: string, path: string): Operation | undefined {
  return byKey.get(`${method} ${path}`);
}

const matchers = OPERATIONS.map((op) => ({
  op,
  regex: new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));

/** Stripe operations whose path template matches a concrete request path. */
export function operationsMatching(path: string): Operation[] {
  return matchers.filter((m) => m.regex.test(path)).map((m) => m.op);
}
