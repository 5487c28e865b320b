/**
 * A set of listeners: the one subscription mechanism of the tracker's stores. A listener that throws
 * (a broken debugger, a test helper) is skipped: it never breaks tracking or the other listeners.
 */
export interface Emitter<Args extends unknown[] = []> {
  subscribe(listener: (...args: Args) => void): () => void;
  emit(...args: Args): void;
}

export function createEmitter<Args extends unknown[] = []>(): Emitter<Args> {
  const listeners = new Set<(...args: Args) => void>();
  return {
    subscribe: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
    emit: (...args) =>
      listeners.forEach((listener) => {
        try {
          listener(...args);
        } catch {
          // See above: listeners cannot break the emitter.
        }
      }),
  };
}
