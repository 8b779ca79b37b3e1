// The frame's end of its channel to the merchant's page: it answers only the
// page that embeds it (origin from the URL fragment, confirmed by the
// browser's ancestorOrigins) and posts only to that origin.
import { isMessage, PROTOCOL, type FrameParams, type Message } from '../protocol.js';

export type CommandHandler = (type: string, payload: any, requestId: string | undefined) => void;

/** Whether the page embedding this frame is the one the fragment names. */
export function embeddedBy(parentOrigin: string): boolean {
  if (window.parent === window) return false;
  const ancestors = (window.location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  return !ancestors || ancestors.length === 0 || ancestors[0] === parentOrigin;
}

export class ParentChannel {
  constructor(
    private readonly params: FrameParams,
    onCommand: CommandHandler,
  ) {
    window.addEventListener('message', (event) => {
      if (event.origin !== params.parentOrigin || event.source !== window.parent) return;
      if (!isMessage(event.data, params.channel)) return;
      onCommand(event.data.type, event.data.payload, event.data.requestId);
    });
  }

  post(type: string, payload?: unknown, requestId?: string): void {
    const message: Message = { protocol: PROTOCOL, channel: this.params.channel, type, payload, requestId };
    window.parent.postMessage(message, this.params.parentOrigin);
  }

  respond(requestId: string | undefined, payload: unknown): void {
    if (requestId) this.post('response', payload, requestId);
  }
}
