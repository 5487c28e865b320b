/** Options of the destinations that call a platform's global function (`gtag`, `fbq`, `analytics`). */
export interface WaitOptions {
  /**
   * How long a call waits for the platform's library (its script loads late, after consent, or
   * never: blocked, with only the page's snippet stub in place). Calls made meanwhile are kept in
   * memory, in order, and replayed once it has loaded; after `waitMs` events fail (a `failed`
   * record and `onError`). Consent commands never expire: they reach the library whenever it loads.
   * Default 10 000 ms.
   *
   * @example
   * metaPixel({ events, waitMs: 30_000 }) // the consent banner injects the pixel late
   */
  waitMs?: number;
}

interface Waiting<T> {
  readonly call: (platform: T) => void;
  /** A conversion (`true`) or a consent command (`'consent'`, kept until the library loads): past the bound, supporting calls fail first. */
  readonly important?: boolean | 'consent';
  readonly until: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

const MAX_WAITING = 100;

/**
 * Runs calls against a platform global now when its library is there, or queues them (bounded, in
 * order) and polls cheaply (25 ms doubling to 1 s, only while something waits) until it is. Returns
 * `undefined` for a call made at once, or a promise settled when the queued call ran or gave up.
 * Past 100 waiting calls the oldest supporting one fails; an `important` call (a conversion, a
 * consent command) fails only when all 100 waiting calls are important too (then the new one fails).
 * Consent commands never expire; `cancel` fails every other waiting call (a consent denial).
 */
export function platformQueue<T>(label: string, lookup: () => T | undefined, waitMs = 10_000) {
  let waiting: Waiting<T>[] = [];
  // A throwing lookup (an app's getter) counts as "not there": it must never escape the poll timer.
  const find = () => {
    try {
      return lookup();
    } catch {
      return undefined;
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay = 25;

  const replay = (platform: T) => {
    for (const item of waiting.splice(0)) {
      try {
        item.call(platform);
        item.resolve();
      } catch (error) {
        item.reject(error);
      }
    }
  };
  /** Fails the waiting calls `which` selects (none of them consent commands). */
  const giveUp = (which: (item: Waiting<T>) => unknown, why: string) =>
    (waiting = waiting.filter((item) => item.important === 'consent' || !which(item) || item.reject(new Error(`${label} ${why}; not sent`))));
  const poll = () => {
    timer = undefined;
    const platform = find();
    if (platform) return replay(platform);
    const now = Date.now();
    giveUp((item) => item.until <= now, `missing after ${waitMs} ms (blocked or not installed)`);
    if (waiting.length > 0) timer = setTimeout(poll, (delay = Math.min(delay * 2, 1000)));
  };

  const call = (run: (platform: T) => void, important?: boolean | 'consent'): void | Promise<void> => {
    const platform = find();
    if (platform) {
      replay(platform); // whatever waited goes first, in order
      return run(platform);
    }
    return new Promise<void>((resolve, reject) => {
      waiting.push({ call: run, important, until: Date.now() + waitMs, resolve, reject });
      // Full: the oldest supporting call fails; when only important ones wait, this one (if it is not consent).
      if (waiting.length > MAX_WAITING) {
        const victim = waiting.find((item) => !item.important) ?? waiting[MAX_WAITING];
        giveUp((item) => item === victim, `missing, ${MAX_WAITING} calls waiting`);
      }
      if (!timer) timer = setTimeout(poll, (delay = 25));
    });
  };
  /** Fails every waiting call but consent commands: `why` says what happened. */
  const cancel = (why: string) => giveUp(() => 1, why);
  return Object.assign(call, { cancel });
}

/** The global function `name` (`window.gtag`), or `undefined`. Read at call time, never at import. */
export function globalFunction<F>(name: string): () => F | undefined {
  return () => {
    const value = (globalThis as Record<string, unknown>)[name];
    return typeof value === 'function' ? (value as F) : undefined;
  };
}
