import type { Envelope } from '../../core/envelope';
import type { SendResult } from '../../core/destination';
import { TrackingError, type TrackingErrorReason } from '../../core/errors';
import { randomEventId } from '../../core/event-id';
import type { DedupeStore } from '../stores/dedupe-store';
import { checkFitsLease, leaseWatchdog } from './lease';
import { all, andThen, settle, type MaybePromise } from './maybe-async';
import type { ForwardContext, ServerDestination } from './server-destination';

/**
 * One destination's outcome for one event.
 * - `delivered`: the platform accepted it; its dedup claim now lasts the whole window; `omitted` names
 *   what the destination left out because the platform would not take it in the form given;
 * - `duplicate`: another report of the same event was delivered to this destination already;
 * - `pending`: another report of the same event is being delivered to this destination right now;
 *   not delivered yet, so report it again later (if that delivery fails, the next report delivers it);
 * - `failed`: not delivered, and its claim was released, so a later report can deliver it; `retryable`
 *   says whether a later report could succeed (false for an event too old for the platform, a 4xx);
 * - `skipped`: consent for the destination's category is denied or pending; nothing was claimed.
 *
 * @example
 * { destination: 'meta-conversions-api', status: 'failed', reason: 'meta-conversions-api answered 503 …', retryable: true }
 */
export interface DestinationOutcome {
  readonly destination: string;
  readonly status: 'delivered' | 'duplicate' | 'pending' | 'failed' | 'skipped';
  /** Why it failed or was skipped. */
  readonly reason?: string;
  /** On `failed` only: whether reporting the event again could deliver it. */
  readonly retryable?: boolean;
  /**
   * On `delivered` only, when the destination left something out: one line per value, the field and
   * why (`user_data.ph (phone): no country code …, left out`), never the value. `onError` hears it too.
   */
  readonly omitted?: readonly string[];
}

/**
 * What happened to one accepted event, the first that applies: `failed` when any destination failed
 * (report the event again later: only the failed destinations get it), `pending` when a destination
 * is still being delivered by another report (report it again later too), `sent` when any destination
 * took it as new, `duplicate` when some destination had it already, `skipped` when consent kept it
 * from every destination.
 *
 * @example
 * { status: 'sent', destinations: [{ destination: 'ga4-measurement-protocol', status: 'delivered' }] }
 */
export interface ForwardReport {
  readonly status: 'sent' | 'duplicate' | 'pending' | 'failed' | 'skipped';
  readonly destinations: readonly DestinationOutcome[];
}

/**
 * Dedup and delivery options, shared by the collector and the server tracker.
 *
 * @example
 * { store: redisDedupeStore(redis), destinations, dedupeWindowMs: 48 * 3600_000, onError: (e) => logger.warn(e.message) }
 */
export interface ForwardOptions {
  /**
   * The dedup ledger, shared by every collector and server tracker that must not forward an event twice.
   *
   * @example
   * store: redisDedupeStore(redis, { prefix: 'shop:ck:' })
   */
  store: DedupeStore;
  /**
   * Where accepted events go, each independently.
   *
   * @example
   * destinations: [ga4MeasurementProtocol({ ... }), metaConversionsApi({ ... })]
   */
  destinations?: readonly ServerDestination[];
  /**
   * How long a delivered event blocks a second delivery. Default 48 hours, Meta's dedup window.
   *
   * @example
   * createCollector({ contract, store, destinations, dedupeWindowMs: 24 * 3600_000 })
   */
  dedupeWindowMs?: number;
  /**
   * How long a claim lasts while its delivery is under way, before it is extended to the window (or
   * released on failure). If the process dies mid-delivery, the event can be delivered again after
   * this. A delivery still running near the end of its lease is stopped (its `signal` aborts, and it
   * counts as failed, retryable), so that no other instance delivers the event at the same time; a
   * destination whose retry policy could outlast the lease is refused at creation. Default 2 minutes.
   * Set it to `dedupeWindowMs` to claim for the whole window at once: one store operation less per
   * event and destination, no time limit, but an event whose process dies mid-delivery stays claimed
   * (undelivered).
   *
   * @example
   * createCollector({ contract, store, destinations, leaseMs: 5 * 60_000 })
   */
  leaseMs?: number;
  /**
   * Told about every failed delivery and dedup store error, and (reason `data_omitted`) every delivery
   * that left values out, the outcome's `omitted`. Never re-thrown.
   *
   * @example
   * onError: (error) => logger.warn({ destination: error.destination, cause: error.cause }, error.message)
   */
  onError?: (error: TrackingError) => void;
}

/** Forwards accepted envelopes: a dedup claim per destination, delivery, then extend or release. */
export interface Forwarder {
  /** The report, at once when the store and every destination answered synchronously. */
  forward(envelope: Envelope, context: ForwardContext): MaybePromise<ForwardReport>;
}

const HOUR = 60 * 60 * 1000;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
// A ForwardError (or any error) with `retryable: false` says a later report cannot succeed either.
const retryableOf = (error: unknown) => (error as { retryable?: unknown } | null)?.retryable !== false;

/** Checks the options once, at creation: these are programmer errors and throw. */
function checkDestinations(destinations: readonly ServerDestination[]): void {
  const seen = new Set<string>();
  for (const destination of destinations) {
    if (!destination || typeof destination.name !== 'string' || typeof destination.send !== 'function') {
      throw new TypeError('[conversion-kit] every destination needs a `name` and a `send` function');
    }
    if (seen.has(destination.name)) {
      throw new TypeError(
        `[conversion-kit] two destinations are named "${destination.name}"; names key the dedup ledger, give each a unique \`name\``,
      );
    }
    seen.add(destination.name);
  }
}

/**
 * Claim owner marks, unique per process and claim: a random prefix once, then a counter (a random
 * value per claim cost a seventh of the collector's time).
 */
function tokenSource(): () => string {
  const prefix = randomEventId().slice(0, 13);
  let counter = 0;
  return () => prefix + (counter++).toString(36);
}

/** The claim key: one per event, occurrence and destination, so one event can never block another. */
const claimKey = (envelope: Envelope, destination: string) =>
  destination ? `${envelope.event}:${envelope.eventId}:${destination}` : `${envelope.event}:${envelope.eventId}`;

export function createForwarder(options: ForwardOptions): Forwarder {
  const { store } = options;
  if (!store || typeof store.claim !== 'function') {
    throw new TypeError('[conversion-kit] `store` must be a dedup store: memoryDedupeStore() or redisDedupeStore(client)');
  }
  const destinations = options.destinations ?? [];
  checkDestinations(destinations);
  const windowMs = options.dedupeWindowMs ?? 48 * HOUR;
  const leaseMs = Math.min(options.leaseMs ?? 2 * 60 * 1000, windowMs);
  // Claim for a lease, then extend on delivery; or for the whole window when there is no lease.
  const leased = typeof store.extend === 'function' && leaseMs < windowMs;
  if (leased) checkFitsLease(destinations, leaseMs);
  const nextToken = tokenSource();
  /**
   * Marks the claim delivered for the whole window (a later claim is then a duplicate, not pending).
   * `false` when the claim was lost before (it expired mid-delivery).
   */
  const markDelivered = (key: string, token: string): MaybePromise<boolean> =>
    typeof store.extend === 'function' ? andThen(store.extend(key, windowMs, token), (extended) => extended !== false) : true;

  const report = (envelope: Envelope, destination: string, message: string, cause: unknown, reason: TrackingErrorReason = 'destination_failed') => {
    try {
      options.onError?.(new TrackingError(message, reason, envelope.event, [], destination, cause));
    } catch {
      // The app's error callback failed; forwarding goes on.
    }
  };

  /** Takes the claim for `key`; an Error when the store failed (nothing may be sent then). */
  const claim = (key: string, token: string): MaybePromise<boolean | 'pending' | Error> =>
    settle<boolean | 'pending', boolean | 'pending' | Error>(
      () => store.claim(key, leased ? leaseMs : windowMs, token),
      (claimed) => claimed,
      (error) => (error instanceof Error ? error : new Error(String(error))),
    );

  const underLease = leaseWatchdog(leaseMs);
  /** Sends, stopped before the lease ends: past it another instance may claim and deliver the event too. */
  const send = (destination: ServerDestination, envelope: Envelope, context: ForwardContext) =>
    leased ? underLease(destination, (withSignal) => destination.send(envelope, withSignal), context) : destination.send(envelope, context);

  const forwardTo = (destination: ServerDestination, envelope: Envelope, context: ForwardContext): MaybePromise<DestinationOutcome> => {
    const name = destination.name;
    const category = destination.consent ?? 'analytics';
    const consent = category === 'none' ? 'granted' : context.consent?.[category];
    if (consent === 'denied' || consent === 'pending') {
      return { destination: name, status: 'skipped', reason: `${category} consent is ${consent}` };
    }
    const key = claimKey(envelope, name);
    const token = nextToken(); // this claim's owner mark: only we may release or extend it

    const failed = (error: unknown): MaybePromise<DestinationOutcome> => {
      report(envelope, name, `${envelope.event} could not be sent to ${name}: ${messageOf(error)}`, error);
      const outcome: DestinationOutcome = { destination: name, status: 'failed', reason: messageOf(error), retryable: retryableOf(error) };
      return settle(
        () => store.release?.(key, token),
        () => outcome,
        (releaseError) => {
          report(envelope, name, `${envelope.event}: the claim for ${name} could not be released; a retry is pending until it expires: ${messageOf(releaseError)}`, releaseError);
          return outcome;
        },
      );
    };
    const delivered = (result: void | SendResult): MaybePromise<DestinationOutcome> => {
      const omitted = result?.omitted;
      const outcome: DestinationOutcome = omitted?.length ? { destination: name, status: 'delivered', omitted } : { destination: name, status: 'delivered' };
      if (omitted?.length) report(envelope, name, `${envelope.event} reached ${name} without: ${omitted.join('; ')}`, undefined, 'data_omitted');
      return settle(
        () => markDelivered(key, token),
        (kept) => {
          if (!kept) report(envelope, name, `${envelope.event} reached ${name}, but its dedup claim had expired; another report may reach it too`, undefined);
          return outcome;
        },
        (error) => {
          // Delivered; only the ledger entry is short. A late duplicate would reach the platform: Meta
          // dedups it by event_id, GA4 only purchases (by transaction_id).
          report(envelope, name, `${envelope.event} reached ${name}, but its dedup claim could not be extended: ${messageOf(error)}`, error);
          return outcome;
        },
      );
    };

    return andThen(claim(key, token), (claimed): MaybePromise<DestinationOutcome> => {
      if (claimed instanceof Error) {
        const reason = `the dedup store failed, nothing was sent: ${claimed.message}`;
        report(envelope, name, `${envelope.event} was not sent to ${name}: ${reason}`, claimed);
        return { destination: name, status: 'failed', reason, retryable: true };
      }
      if (claimed === 'pending') return { destination: name, status: 'pending', reason: 'another report of this event is being delivered' };
      if (!claimed) return { destination: name, status: 'duplicate' };
      // A delivery that fails (throws or rejects) releases its claim; one that succeeds extends it.
      return settle(() => send(destination, envelope, context), delivered, failed);
    });
  };

  const summarise = (outcomes: readonly DestinationOutcome[]): ForwardReport => {
    const has = (status: DestinationOutcome['status']) => outcomes.some((outcome) => outcome.status === status);
    const status = has('failed') ? 'failed' : has('pending') ? 'pending' : has('delivered') ? 'sent' : has('duplicate') ? 'duplicate' : 'skipped';
    return { status, destinations: outcomes };
  };

  return {
    forward(envelope, context) {
      if (destinations.length === 0) {
        const key = claimKey(envelope, '');
        const token = nextToken();
        return andThen(claim(key, token), (claimed): MaybePromise<ForwardReport> => {
          if (claimed instanceof Error) {
            report(envelope, '', `${envelope.event}: the dedup store failed: ${claimed.message}`, claimed);
            return { status: 'failed', destinations: [] };
          }
          if (claimed !== true) return { status: claimed === 'pending' ? 'pending' : 'duplicate', destinations: [] };
          const sent: ForwardReport = { status: 'sent', destinations: [] };
          return settle(
            () => markDelivered(key, token),
            () => sent,
            (error) => {
              report(envelope, '', `${envelope.event}: its dedup claim could not be extended: ${messageOf(error)}`, error);
              return sent;
            },
          );
        });
      }
      return andThen(all(destinations.map((destination) => forwardTo(destination, envelope, context))), summarise);
    },
  };
}
