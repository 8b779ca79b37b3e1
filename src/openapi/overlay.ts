// Parameters that Stripe added after the API version of operations.json
// (2023-08-16) and that the current SDK sends, keyed by operationId.
import type { ParamSchema } from '../server/params.js';

const unsettableString = (maxLength: number): ParamSchema => ({
  anyOf: [{ type: 'string', maxLength }, { type: 'string', enum: [''] }],
});

const customerFields: Record<string, ParamSchema> = {
  business_name: unsettableString(150),
  individual_name: unsettableString(150),
  validate: { type: 'boolean' },
};

export const OVERLAY: Record<string, Record<string, ParamSchema>> = {
  PostCustomers: customerFields,
  PostCustomersCustomer: customerFields,
};
