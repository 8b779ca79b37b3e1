// The merchant page's end of a frame's channel: messages go only to Kassa's
// origin, and only messages from that origin and that frame's window are read.
import { isMessage, PROTOCOL, type Message } from './protocol.js';

let counter = 0;
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}${counter}_${Math.random().toString(36).slice(2, 10)}`;
}

export class FrameChannel {
  readonly id = uniqueId('ch');
  private pending = new Map<string, (payload: unknown) => void>();
  private readonly listener = (event: MessageEvent) => this.receive(event);

  constructor(
    private readonly origin: string,
    private readonly frame: () => Window | null,
    private readonly onMessage: (type: string, payload: unknown) => void,
  ) {
    window.addEventListener('message', this.listener);
  }

  send(type: string, payload?: unknown, requestId?: string): void {
    const target = this.frame();
    const message: Message = { protocol: PROTOCOL, channel: this.id, type, payload, requestId };
    target?.postMessage(message, this.origin);
  }

  request<T>(type: string, payload?: unknown): Promise<T> {
    const requestId = uniqueId('rq');
    return new Promise<T>((resolve) => {
      this.pending.set(requestId, resolve as (payload: unknown) => void);
      this.send(type, payload, requestId);
    });
  }

  close(): void {
    window.removeEventListener('message', this.listener);
  }

  private receive(event: MessageEvent): void {
    if (event.origin !== this.origin || event.source === null || event.source !== this.frame()) return;
    if (!isMessage(event.data, this.id)) return;
    const { type, payload, requestId } = event.data;
    if (type === 'response' && requestId) {
      const resolve = this.pending.get(requestId);
      this.pending.delete(requestId);
      resolve?.(payload);
      return;
    }
    this.onMessage(type, payload);
  }
}
