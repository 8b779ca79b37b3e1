// on / off / once for elements and payment requests, as Stripe.js's objects have.
type Handler = (event: any) => void;

export class Emitter {
  private handlers = new Map<string, Handler[]>();

  on(event: string, handler: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  once(event: string, handler: Handler): this {
    const wrapped: Handler = (payload) => {
      this.off(event, wrapped);
      handler(payload);
    };
    return this.on(event, wrapped);
  }

  off(event: string, handler?: Handler): this {
    if (!handler) this.handlers.delete(event);
    else
      this.handlers.set(
        event,
        (this.handlers.get(event) ?? []).filter((h) => h !== handler),
      );
    return this;
  }

  protected emit(event: string, payload?: unknown): void {
    for (const handler of this.handlers.get(event) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        // A merchant's handler that throws must not stop the others (or the library).
        setTimeout(() => {
          throw error;
        });
      }
    }
  }

  protected listenerCount(event: string): number {
    return this.handlers.get(event)?.length ?? 0;
  }
}
