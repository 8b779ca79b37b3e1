// What `kassa trigger EVENT` does to cause an event: the real API calls, as
// data in the shape of the Stripe CLI's trigger fixtures. Each module
// contributes the recipes of the events it emits. A value written
// `${step:field.path}` is taken from the response of an earlier step.

export type StepMethod = 'get' | 'post' | 'delete';

export interface TriggerStep {
  /** Names the step's response for later steps' `${name:...}` references. */
  name: string;
  method: StepMethod;
  path: string;
  params?: Record<string, unknown>;
  /** A Stripe error of this type is what the step is for (a decline), not a failure. */
  expectedErrorType?: 'card_error';
}

export interface TriggerRecipe {
  steps: TriggerStep[];
  /** Printed after the calls, for events that follow later. */
  note?: string;
}

/** The description trigger recipes give what they create. */
export const TRIGGERED = '(created by kassa trigger)';
