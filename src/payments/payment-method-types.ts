// Which payment method types an intent (payment or setup) accepts: Kassa
// supports cards. The parameters are `payment_method_types`, or their newer
// form `allowed_payment_method_types`, and `excluded_payment_method_types`.
import { invalidParam } from '../server/errors.js';

export const SUPPORTED_TYPES: readonly string[] = ['card'];

export interface TypeParams {
  payment_method_types?: string[];
  allowed_payment_method_types?: string[];
  excluded_payment_method_types?: string[] | '';
}

interface TypedIntent {
  payment_method_types: string[];
  allowed_payment_method_types?: unknown;
  excluded_payment_method_types?: unknown;
  automatic_payment_methods: unknown;
}

/** The types asked for, and the parameter that asked, when given. */
export function requestedTypes(params: TypeParams): { types: string[]; param: string } | undefined {
  if (params.payment_method_types?.length) return { types: params.payment_method_types, param: 'payment_method_types' };
  if (params.allowed_payment_method_types?.length)
    return { types: params.allowed_payment_method_types, param: 'allowed_payment_method_types' };
  return undefined;
}

function checkTypes(types: string[], param: string): string[] {
  for (const [index, type] of types.entries()) {
    if (!SUPPORTED_TYPES.includes(type)) {
      throw invalidParam(
        `The payment method type "${type}" is invalid or not supported by Kassa yet. Kassa supports: ${SUPPORTED_TYPES.join(', ')}.`,
        `${param}[${index}]`,
      );
    }
  }
  return [...new Set(types)];
}

/** Applies the type parameters to a copy of an intent being built or updated. */
export function applyTypeParams<T extends TypedIntent>(next: T, params: TypeParams): T {
  const requested = requestedTypes(params);
  if (requested) {
    next.payment_method_types = checkTypes(requested.types, requested.param);
    if (requested.param === 'allowed_payment_method_types')
      next.allowed_payment_method_types = next.payment_method_types;
    next.automatic_payment_methods = null;
  }
  if (params.excluded_payment_method_types !== undefined) {
    const excluded =
      params.excluded_payment_method_types === '' ? null : [...new Set(params.excluded_payment_method_types)];
    if (excluded && SUPPORTED_TYPES.every((type) => excluded.includes(type))) {
      throw invalidParam(
        `Excluding ${SUPPORTED_TYPES.join(', ')} leaves no payment method type that Kassa supports.`,
        'excluded_payment_method_types',
      );
    }
    next.excluded_payment_method_types = excluded;
  }
  return next;
}
