// An in-process wake-up: whoever commits work notifies, whoever waits for
// that work (the webhook dispatcher, a live event stream) subscribes and then
// reads the store. A notification is a hint only: listeners must cope with
// spurious ones and, for work committed by other processes, also poll.
export interface Signal<T> {
  notify(value: T): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: (value: T) => void): () => void;
}

export function createSignal<T>(): Signal<T> {
  const listeners = new Set<(value: T) => void>();
  return {
    notify(value) {
      for (const listener of listeners) listener(value);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
