import type { Envelope } from 'conversion-kit';
import type { AcceptedAnswer, AcceptedEvent } from './server/collector';
import { COLLECT_URL } from './tracker';

/**
 * What the collector made of the events a visit fired, as the demo shows it next to the debugger:
 * the browser's side says "Delivered to beacon"; this says whether the server accepted the event.
 */
export interface ServerView {
  /**
   * `'checking'` while some fired event is not accepted yet, `'done'` when all are, `'unreachable'`
   * when no collector answers (a static build has none), `'idle'` before anything fired.
   */
  readonly status: 'idle' | 'checking' | 'done' | 'unreachable';
  /** Every fired event, oldest first, with the collector's acceptance once it is known. */
  readonly events: readonly { readonly envelope: Envelope; readonly accepted?: AcceptedEvent }[];
}

/** Polls the demo collector about the events of one visit, while someone watches. */
export interface ServerWatch {
  view(): ServerView;
  /** An event was handed to the beacon: ask about it until the collector accepted it. */
  fired(envelope: Envelope): void;
  /** Starts polling while at least one watcher is subscribed; returns the unsubscribe function. */
  watch(onChange: () => void): () => void;
}

const POLL_MS = 250;
/** Slower once nothing changed for a while: an event the collector refused never arrives. */
const SLOW_POLL_MS = 3000;
const PATIENCE = 40;

export function watchServer(url = `${COLLECT_URL}/accepted`): ServerWatch {
  const envelopes: Envelope[] = [];
  const accepted = new Map<string, AcceptedEvent>();
  const watchers = new Set<() => void>();
  let status: ServerView['status'] = 'idle';
  let view: ServerView = { status, events: [] };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asking = false;
  let unchanged = 0;

  const publish = () => {
    const waiting = envelopes.some((envelope) => !accepted.has(envelope.eventId));
    if (status !== 'unreachable') status = envelopes.length === 0 ? 'idle' : waiting ? 'checking' : 'done';
    view = { status, events: envelopes.map((envelope) => ({ envelope, accepted: accepted.get(envelope.eventId) })) };
    watchers.forEach((watcher) => watcher());
  };

  const ask = async (ids: readonly string[]): Promise<AcceptedAnswer | undefined> => {
    asking = true;
    try {
      const response = await fetch(`${url}?ids=${ids.join(',')}`, { cache: 'no-store' });
      return response.ok ? ((await response.json()) as AcceptedAnswer) : undefined;
    } catch {
      return undefined; // no server (a static build) or it went away
    } finally {
      asking = false;
    }
  };

  const poll = async () => {
    timer = undefined;
    const ids = envelopes.map((envelope) => envelope.eventId).filter((id) => !accepted.has(id));
    if (ids.length === 0 || watchers.size === 0) return;
    const answer = await ask(ids);
    const before = accepted.size;
    for (const event of answer?.accepted ?? []) accepted.set(event.envelope.eventId, event);
    unchanged = accepted.size > before ? 0 : unchanged + 1;
    const reachable = answer !== undefined;
    if (accepted.size > before || reachable !== (status !== 'unreachable')) {
      status = reachable ? 'checking' : 'unreachable';
      publish();
    }
    schedule();
  };

  const schedule = () => {
    if (timer !== undefined || asking || watchers.size === 0) return;
    if (!envelopes.some((envelope) => !accepted.has(envelope.eventId))) return;
    timer = setTimeout(() => void poll(), unchanged > PATIENCE ? SLOW_POLL_MS : POLL_MS);
  };

  return {
    view: () => view,
    fired(envelope) {
      if (envelopes.some((known) => known.eventId === envelope.eventId)) return;
      envelopes.push(envelope);
      unchanged = 0;
      publish();
      schedule();
    },
    watch(onChange) {
      watchers.add(onChange);
      schedule();
      return () => {
        watchers.delete(onChange);
        if (watchers.size > 0 || timer === undefined) return;
        clearTimeout(timer);
        timer = undefined;
      };
    },
  };
}
