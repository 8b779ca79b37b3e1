// The postMessage protocol between the merchant's page and Kassa's frames.
// Every message names the channel (one per frame); both sides check the
// sender's origin and window before reading it.

export const PROTOCOL = 'kassa-js-v1';

/** What the merchant's page puts in a frame's URL fragment (never sent to a server). */
export interface FrameParams {
  /** `card`, `cardNumber`, `cardExpiry`, `cardCvc`, `payment` or `wallet`. */
  kind: string;
  channel: string;
  /** The Elements group: split card fields of one group combine their data. */
  group: string;
  parentOrigin: string;
  key: string;
  stripeAccount?: string;
  apiVersion?: string;
  locale?: string;
  options: Record<string, unknown>;
  appearance?: Record<string, unknown>;
  fonts?: unknown[];
}

export interface Message {
  protocol: typeof PROTOCOL;
  channel: string;
  type: string;
  /** Set on requests that expect a `response` with the same id. */
  requestId?: string;
  payload?: unknown;
}

export function isMessage(data: unknown, channel: string): data is Message {
  if (typeof data !== 'object' || data === null) return false;
  const message = data as Partial<Message>;
  return message.protocol === PROTOCOL && message.channel === channel && typeof message.type === 'string';
}

export function encodeFrameParams(params: FrameParams): string {
  return encodeURIComponent(JSON.stringify(params));
}

export function decodeFrameParams(hash: string): FrameParams | null {
  try {
    const params = JSON.parse(decodeURIComponent(hash.replace(/^#/, ''))) as FrameParams;
    return typeof params.kind === 'string' &&
      typeof params.channel === 'string' &&
      typeof params.parentOrigin === 'string'
      ? params
      : null;
  } catch {
    return null;
  }
}
