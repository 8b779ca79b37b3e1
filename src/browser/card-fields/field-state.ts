// What one card input currently holds, as the change event reports it.
import type { FieldErrorCode } from './messages.js';

export interface FieldState {
  /** The text shown in the input, formatted. */
  display: string;
  empty: boolean;
  complete: boolean;
  /**
   * The error to report. `incomplete_*` errors are shown only once the
   * customer leaves the field (or confirms); `invalid_*` ones at once.
   */
  error: FieldErrorCode | null;
}
