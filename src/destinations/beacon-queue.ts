import type { Envelope } from '../core/envelope';
import type { KeyValueStorage } from '../core/storage';

/** One event waiting for the collector. */
export interface QueuedEvent {
  readonly envelope: Envelope;
  /** The envelope as sent, serialised once. */
  readonly json: string;
  /** UTF-8 bytes of `json`: what counts against the bounds and the 64 KiB beacon quota. */
  readonly bytes: number;
  /** Settles this page's `send` promise (the tracker's record); absent for a previous page's events. */
  readonly settle?: (error?: Error) => void;
  /** In a request whose answer is still awaited. */
  sending?: boolean;
}

/** The beacon's queue: in memory (the truth), mirrored to storage, bounded by count and bytes. */
export interface BeaconQueue {
  /** Waiting events, oldest first. */
  readonly items: QueuedEvent[];
  /** Appends an event; returns what the bounds evicted to make room. */
  add(envelope: Envelope, settle?: QueuedEvent['settle']): QueuedEvent[];
  /**
   * Forgets events (stored, rejected or dropped), here and in storage; with `keepStored`, here only:
   * a beacon's answer is never seen, so its storage copy waits for the next page to confirm it.
   */
  remove(done: readonly QueuedEvent[], keepStored?: boolean): void;
  /** Adopts the events a previous page (or another tab) left in storage; returns what the bounds evicted. */
  adopt(): QueuedEvent[];
}

const item = (envelope: Envelope, settle?: QueuedEvent['settle']): QueuedEvent => {
  const json = JSON.stringify(envelope);
  return { envelope, json, bytes: new TextEncoder().encode(json).length, settle };
};

/**
 * Storage holds one JSON array of envelopes shared by the site's tabs. Each write merges by `eventId`
 * (keeps other tabs' events, drops what this page finished), so no tab erases another's queue; two
 * tabs may both send an adopted event, which the collector dedups by `eventId`. A storage that is
 * missing, blocked or full (`QuotaExceededError`) only loses the mirror: the memory queue goes on.
 */
export function createBeaconQueue(storage: () => KeyValueStorage, key: string, maxEvents: number, maxBytes: number): BeaconQueue {
  const items: QueuedEvent[] = [];
  const beaconed = new Set<string>(); // this page's, left in storage for the next page only
  let lastRaw: string | null = null;
  let lastParsed: Envelope[] = [];
  const stored = (): Envelope[] => {
    try {
      const raw = storage().getItem(key);
      // Parse only what changed since this page read or wrote it (another tab's write).
      if (raw === lastRaw) return lastParsed;
      const value: unknown = JSON.parse(raw || '[]');
      lastRaw = raw;
      // Storage is user-writable: keep only what looks like an envelope.
      return (lastParsed = Array.isArray(value) ? value.filter((e) => typeof e?.eventId === 'string' && typeof e.timestamp === 'number') : []);
    } catch {
      return [];
    }
  };
  const write = (finished: readonly QueuedEvent[]) => {
    const skip = new Set([...items, ...finished].map((i) => i.envelope.eventId));
    const others = stored().filter((e) => !skip.has(e.eventId)).slice(-maxEvents);
    const raw = `[${[...others.map((e) => JSON.stringify(e)), ...items.map((i) => i.json)].join(',')}]`;
    try {
      if (raw.length > 2) storage().setItem(key, raw);
      else storage().removeItem(key);
      lastRaw = raw.length > 2 ? raw : null;
      lastParsed = [...others, ...items.map((i) => i.envelope)];
    } catch {
      // Full or blocked: the events stay in memory for this page.
    }
  };
  // Over a bound: the oldest supporting event goes first, a conversion only when no other is left.
  const fit = (): QueuedEvent[] => {
    const evicted: QueuedEvent[] = [];
    let bytes = items.reduce((sum, i) => sum + i.bytes, 0);
    while (items.length > maxEvents || bytes > maxBytes) {
      const idle = items.filter((i) => !i.sending);
      const victim = idle.find((i) => !i.envelope.conversion) ?? idle[0];
      if (!victim) break;
      items.splice(items.indexOf(victim), 1);
      bytes -= victim.bytes;
      evicted.push(victim);
    }
    write(evicted);
    return evicted;
  };

  return {
    items,
    add(envelope, settle) {
      items.push(item(envelope, settle));
      return fit();
    },
    remove(done, keepStored) {
      for (const i of done) {
        if (items.includes(i)) items.splice(items.indexOf(i), 1);
        if (keepStored) beaconed.add(i.envelope.eventId);
      }
      write(keepStored ? [] : done);
    },
    adopt() {
      const known = new Set([...beaconed, ...items.map((i) => i.envelope.eventId)]);
      for (const envelope of stored()) if (!known.has(envelope.eventId)) items.push(item(envelope));
      items.sort((a, b) => a.envelope.timestamp - b.envelope.timestamp); // oldest first, whichever page it came from
      return fit();
    },
  };
}
