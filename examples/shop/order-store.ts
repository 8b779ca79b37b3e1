// The shop's own store: orders and the ids of the webhook events it has
// processed. In memory, and written to one JSON file after every change
// when a path is given (write to a temporary file, then rename: a crash
// leaves the old file or the new one, never half of one).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Order } from './orders.js';

interface Saved {
  orders: Order[];
  processed_events: string[];
}

export class OrderStore {
  private readonly orders = new Map<string, Order>();
  private readonly processedEvents = new Set<string>();

  constructor(private readonly path?: string) {
    if (path && existsSync(path)) {
      const saved = JSON.parse(readFileSync(path, 'utf8')) as Saved;
      for (const order of saved.orders) this.orders.set(order.id, order);
      for (const id of saved.processed_events) this.processedEvents.add(id);
    }
  }

  get(id: string): Order | undefined {
    return this.orders.get(id);
  }

  /** Newest first. */
  list(): Order[] {
    return [...this.orders.values()].sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
  }

  save(order: Order): void {
    this.orders.set(order.id, order);
    this.flush();
  }

  hasProcessed(eventId: string): boolean {
    return this.processedEvents.has(eventId);
  }

  /** Records a webhook event as processed together with what it changed, in one write. */
  processed(eventId: string, order?: Order): void {
    this.processedEvents.add(eventId);
    if (order) this.orders.set(order.id, order);
    this.flush();
  }

  private flush(): void {
    if (!this.path) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const saved: Saved = { orders: [...this.orders.values()], processed_events: [...this.processedEvents] };
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, JSON.stringify(saved, null, 2));
    renameSync(temporary, this.path);
  }
}
