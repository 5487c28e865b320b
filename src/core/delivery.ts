import { mergeConsent, type ConsentCategory, type ConsentState, type ConsentValue } from './consent';
import type { Destination, SendResult } from './destination';
import type { Emitter } from './emitter';
import type { Envelope } from './envelope';
import { TrackingError } from './errors';
import type { DropReason, Recorder } from './records';

/** Hands accepted envelopes to destinations: consent gating, failure isolation, records. */
export interface Delivery {
  /**
   * Delivers now where consent allows, holds where it is pending, drops where it is denied. With
   * `confirm` (starts the cross-tab settlement of the event's dedup claim), destinations whose
   * receiver dedups by eventId get it now and the others once it resolves `true`; on `false` another
   * tab counted it and they record `dropped` (`claimed_in_another_tab`). `confirm` is called only when
   * some destination taking the event does not dedup at its receiver: a Web Lock request costs a
   * browser a few hundred microseconds, and a collector needs none.
   */
  dispatch(envelope: Envelope, confirm?: () => Promise<boolean> | undefined): 'sent' | 'queued';
  consent(): ConsentState;
  setConsent(update: Partial<Record<ConsentCategory, ConsentValue>>): void;
  flush(): Promise<void>;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function createDelivery(
  destinations: readonly Destination[],
  initialConsent: ConsentState,
  recorder: Recorder,
  report: (error: TrackingError) => void,
  maxHeld: number,
  changed: Emitter,
  announceInitialConsent: boolean,
): Delivery {
  let state = initialConsent;
  // Events waiting for a consent decision, one entry per destination, in the order they were tracked.
  // Each with the number of its dispatch: one settled across tabs is held in the place it was tracked.
  let held: (readonly [Envelope, Destination, number])[] = [];
  let dispatched = 0;
  const gate = ({ consent = 'analytics' }: Destination): ConsentValue => (consent === 'none' ? 'granted' : state[consent]);
  const ids = (envelope: Envelope) => ({ envelope, event: envelope.event, eventId: envelope.eventId });

  const fail = (destination: Destination, envelope: Envelope, cause: unknown) => {
    const { name } = destination;
    const error = new TrackingError(
      `${envelope.event} could not be sent to ${name}: ${messageOf(cause)}`,
      'destination_failed',
      envelope.event,
      [],
      name,
      cause,
    );
    recorder.emit({ type: 'failed', ...ids(envelope), destination: name, error });
    report(error);
  };

  const drop = (destination: Destination, envelope: Envelope, reason: DropReason) =>
    recorder.emit({ type: 'dropped', ...ids(envelope), destination: destination.name, reason });

  /** Delivers or drops as consent says now; `true` when the destination must keep waiting. */
  const offer = (envelope: Envelope, destination: Destination): boolean => {
    const decision = gate(destination);
    if (decision === 'pending') return true;
    // Anything but granted (denied, or a value no category has) drops: consent is never assumed.
    if (decision !== 'granted') {
      drop(destination, envelope, 'consent_denied');
      return false;
    }
    // What the destination left out (a SendResult) goes on the record, when there is any.
    const delivered = (result: SendResult | void) =>
      recorder.emit({ type: 'delivered', ...ids(envelope), destination: destination.name, ...(result?.omitted?.[0] && { omitted: result.omitted }) });
    try {
      const sending = destination.send(envelope);
      if (sending && typeof (sending as Promise<void>).then === 'function') {
        (sending as Promise<void | SendResult>).then(delivered, (cause: unknown) => fail(destination, envelope, cause));
      } else delivered(sending as SendResult | void);
    } catch (cause) {
      fail(destination, envelope, cause);
    }
    return false;
  };

  /** Offers `envelope` to `takers`, holding it for those whose consent is pending. */
  const place = (envelope: Envelope, takers: readonly Destination[], order: number) => {
    const holding = takers.filter((destination) => offer(envelope, destination)).map((destination) => [envelope, destination, order] as const);
    // Bounded per event, whatever the number of destinations, and the same for all of them: past
    // maxHeld events a supporting event is not held; a conversion is, in the place of the oldest
    // supporting event held, or beside the others, up to twice that, when all are conversions.
    const count = new Set(held.map(([waiting]) => waiting)).size;
    const victim = holding.length && count >= maxHeld && (envelope.conversion ? (held.find(([waiting]) => !waiting.conversion)?.[0] ?? (count < 2 * maxHeld || envelope)) : envelope);
    held = [...held, ...holding].filter(([waiting, destination]) => waiting !== victim || (drop(destination, waiting, 'queue_full'), false)).sort((a, b) => a[2] - b[2]);
  };

  const tellConsent = () => {
    for (const destination of destinations) {
      try {
        destination.updateConsent?.(state);
      } catch (cause) {
        report(new TrackingError(`${destination.name} failed to apply consent: ${messageOf(cause)}`, 'destination_failed', '', [], destination.name, cause));
      }
    }
  };
  // A decision passed at creation (a returning visitor's) is news to the destinations too.
  if (announceInitialConsent) tellConsent();

  return {
    dispatch(envelope, confirm) {
      // A destination that does not take the event (an ad platform's unmapped events) never sees it.
      const takers = destinations.filter((destination) => {
        try {
          return destination.accepts?.(envelope) ?? true;
        } catch (cause) {
          fail(destination, envelope, cause);
          return false;
        }
      });
      const waiting = takers.filter((destination) => gate(destination) === 'pending');
      recorder.emit(
        waiting[0]
          ? { type: 'queued', ...ids(envelope), destinations: waiting.map((destination) => destination.name) }
          : { type: 'sent', ...ids(envelope) },
      );
      const order = ++dispatched;
      const inPage = takers.filter((destination) => !destination.receiverDedupes);
      const confirmed = inPage[0] && confirm?.();
      const later = confirmed ? inPage : [];
      place(envelope, takers.filter((destination) => !later.includes(destination)), order);
      if (later[0]) {
        void confirmed!.then((won) => (won ? place(envelope, later, order) : later.forEach((destination) => drop(destination, envelope, 'claimed_in_another_tab'))));
      }
      return waiting[0] ? 'queued' : 'sent';
    },
    consent: () => state,
    setConsent(update) {
      const next = mergeConsent(state, update);
      if (next === state) return;
      state = next;
      tellConsent();
      // Release in the order events were tracked, checking each destination's consent again now.
      held = held.filter(([envelope, destination]) => offer(envelope, destination));
      changed.emit();
    },
    async flush() {
      await Promise.allSettled(destinations.map(async (destination) => destination.flush?.()));
    },
  };
}
