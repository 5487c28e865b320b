import { mergeConsent, type ConsentState, type ConsentValue, type ConsentCategory } from './consent';
import type { Destination } from './destination';
import type { Envelope } from './envelope';
import { TrackingError } from './errors';
import type { Recorder } from './records';

interface HeldEvent {
  readonly envelope: Envelope;
  waiting: readonly Destination[];
}

/** Hands accepted envelopes to destinations: consent gating, failure isolation, records. */
export interface Delivery {
  /** Delivers now where consent allows, holds where it is pending, drops where it is denied. */
  dispatch(envelope: Envelope): 'sent' | 'queued';
  consent(): ConsentState;
  setConsent(update: Partial<Record<ConsentCategory, ConsentValue>>): void;
  subscribeConsent(listener: () => void): () => void;
  flush(): Promise<void>;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createDelivery(
  destinations: readonly Destination[],
  initialConsent: ConsentState,
  recorder: Recorder,
  report: (error: TrackingError) => void,
  maxHeld: number,
  announceInitialConsent = false,
): Delivery {
  let state = initialConsent;
  const held: HeldEvent[] = [];
  const listeners = new Set<() => void>();
  const gate = (destination: Destination): ConsentValue => {
    const category = destination.consent ?? 'analytics';
    return category === 'none' ? 'granted' : state[category];
  };
  const base = (envelope: Envelope) => ({ envelope, event: envelope.event, eventId: envelope.eventId });

  const fail = (destination: Destination, envelope: Envelope, cause: unknown) => {
    const error = new TrackingError(
      `${envelope.event} could not be sent to ${destination.name}: ${messageOf(cause)}`,
      'destination_failed',
      envelope.event,
      [],
      destination.name,
      { cause },
    );
    recorder.emit({ type: 'failed', ...base(envelope), destination: destination.name, error });
    report(error);
  };

  const deliver = (destination: Destination, envelope: Envelope) => {
    const delivered = () => recorder.emit({ type: 'delivered', ...base(envelope), destination: destination.name });
    try {
      const sending = destination.send(envelope);
      if (sending && typeof sending.then === 'function') {
        sending.then(delivered, (cause: unknown) => fail(destination, envelope, cause));
      } else {
        delivered();
      }
    } catch (cause) {
      fail(destination, envelope, cause);
    }
  };

  const takes = (destination: Destination, envelope: Envelope): boolean => {
    try {
      return destination.accepts?.(envelope) ?? true;
    } catch (cause) {
      fail(destination, envelope, cause);
      return false;
    }
  };

  const tellConsent = () => {
    for (const destination of destinations) {
      try {
        destination.updateConsent?.(state);
      } catch (cause) {
        report(new TrackingError(`${destination.name} failed to apply consent: ${messageOf(cause)}`, 'destination_failed', '', [], destination.name, { cause }));
      }
    }
  };
  // A decision passed at creation (a returning visitor's) is news to the destinations too.
  if (announceInitialConsent) tellConsent();

  const drop = (destination: Destination, envelope: Envelope, reason: 'consent_denied' | 'queue_full') =>
    recorder.emit({ type: 'dropped', ...base(envelope), destination: destination.name, reason });

  const hold = (envelope: Envelope, waiting: Destination[]) => {
    held.push({ envelope, waiting });
    if (held.length <= maxHeld) return;
    // Over the bound: give up the oldest supporting event, a conversion only when nothing else is left.
    const index = Math.max(0, held.findIndex((item) => !item.envelope.conversion));
    const [evicted] = held.splice(index, 1);
    for (const destination of evicted!.waiting) drop(destination, evicted!.envelope, 'queue_full');
  };

  return {
    dispatch(envelope) {
      const now: Destination[] = [];
      const waiting: Destination[] = [];
      const denied: Destination[] = [];
      for (const destination of destinations) {
        if (!takes(destination, envelope)) continue;
        const decision = gate(destination);
        (decision === 'granted' ? now : decision === 'pending' ? waiting : denied).push(destination);
      }
      if (waiting.length > 0) {
        recorder.emit({ type: 'queued', ...base(envelope), destinations: waiting.map((d) => d.name) });
      } else {
        recorder.emit({ type: 'sent', ...base(envelope) });
      }
      for (const destination of now) deliver(destination, envelope);
      for (const destination of denied) drop(destination, envelope, 'consent_denied');
      if (waiting.length > 0) hold(envelope, waiting);
      return waiting.length > 0 ? 'queued' : 'sent';
    },
    consent: () => state,
    setConsent(update) {
      const next = mergeConsent(state, update);
      if (next === state) return;
      state = next;
      tellConsent();
      // Release in the order events were tracked, checking each destination's consent again now.
      for (const item of [...held]) {
        const still: Destination[] = [];
        for (const destination of item.waiting) {
          const decision = gate(destination);
          if (decision === 'granted') deliver(destination, item.envelope);
          else if (decision === 'denied') drop(destination, item.envelope, 'consent_denied');
          else still.push(destination);
        }
        item.waiting = still;
        if (still.length === 0) held.splice(held.indexOf(item), 1);
      }
      for (const listener of listeners) listener();
    },
    subscribeConsent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async flush() {
      await Promise.allSettled(destinations.map(async (destination) => destination.flush?.()));
    },
  };
}
