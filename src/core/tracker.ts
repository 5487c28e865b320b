import {
  createCampaignStore,
  decorateUrlWith,
  DEFAULT_CAMPAIGN_TTL_MS,
  type CampaignContext,
} from './campaign';
import { ALL_GRANTED, mergeConsent, type ConsentState, type ConsentUpdate, type ConsentValue, type ConsentCategory } from './consent';
import type { AnyContract, EventName, PayloadInput } from './contract';
import { storageDedupeLedger } from './dedupe-ledger';
import { createDelivery } from './delivery';
import type { Destination } from './destination';
import type { Envelope } from './envelope';
import { describeIssues, TrackingError } from './errors';
import { randomEventId } from './event-id';
import { storeHandoff, takeHandoff } from './handoff';
import { createRecorder, type TrackingRecord } from './records';
import type { StandardSchemaV1 } from './standard-schema';
import { browserStorage, resilientStorage, type KeyValueStorage } from './storage';
import { validateEvent, type TrackOptions } from './validation';

/**
 * Options of {@link createTracker}.
 *
 * @example
 * createTracker({ contract, destinations: [gtag({ ... })], consent: { analytics: 'pending', ads: 'pending' } })
 */
export interface TrackerOptions<C extends AnyContract> {
  /** The event contract from `defineContract`. */
  contract: C;
  /** Where accepted events go. Each one's failure is isolated from the others and from the app. */
  destinations?: readonly Destination[];
  /**
   * Campaign capture. By default the current `location.href` and `document.referrer` are read once,
   * at creation, and touches live 90 days. `false` turns capture off (stored touches still apply).
   */
  campaign?: false | { ttlMs?: number; url?: string; referrer?: string };
  /** Initial consent. Leave it out when the site needs no consent banner: everything is granted. */
  consent?: Partial<Record<ConsentCategory, ConsentValue>>;
  /** Where the dedup ledger, touches and handoffs persist. `localStorage`, falling back to memory. */
  storage?: KeyValueStorage;
  /** How long a dedup key blocks a second send. Default 48 hours, Meta's dedup window. */
  dedupeWindowMs?: number;
  /** How long a thank-you page handoff waits to be completed. Default 1 hour. */
  handoffTtlMs?: number;
  /** Logs every record to the console. */
  debug?: boolean;
  /** Told about every tracking failure (invalid payload, destination failure). Never re-thrown. */
  onError?: (error: TrackingError) => void;
}

/** What `track` decided. `queued` means accepted and waiting for a consent decision somewhere. */
export interface TrackResult {
  readonly status: 'sent' | 'duplicate' | 'invalid' | 'queued';
  readonly eventId: string;
  readonly issues?: readonly StandardSchemaV1.Issue[];
}

/** What `handoff` decided: stored for the next page, or rejected by the contract. */
export interface HandoffResult {
  readonly status: 'stored' | 'invalid';
  readonly issues?: readonly StandardSchemaV1.Issue[];
}

/** The tracker: validates, dedups, enriches and delivers events. See {@link createTracker}. */
export interface Tracker<C extends AnyContract = AnyContract> {
  readonly contract: C;
  /**
   * Tracks one event. Synchronous, never throws: invalid payloads and destination failures become
   * records and `onError` calls.
   */
  track<E extends EventName<C>>(event: E, payload: PayloadInput<C, E>, options?: TrackOptions): TrackResult;
  /** Stores a confirmed conversion for the next page, where `completeHandoff` (or `<ConversionOnView>`) sends it. */
  handoff<E extends EventName<C>>(event: E, payload: PayloadInput<C, E>, options?: TrackOptions): HandoffResult;
  /** Sends the handed-off conversion of `event` once; `null` when there is none (direct visit, refresh). */
  completeHandoff(event: EventName<C>): TrackResult | null;
  /**
   * Records a failure of the app's own tracking code around `event` (a payload mapper that threw) as
   * an `invalid` record and tells `onError`. Used by the React components; never throws.
   */
  reportError(event: string, cause: unknown): void;
  /** First and last touch: a cached, immutable snapshot. */
  getCampaign(): CampaignContext;
  /** Captures a new URL's campaign parameters, for client-side navigations that bring new UTMs. */
  captureCampaign(url: string, referrer?: string): void;
  /** Appends the stored UTM parameters and click ids to an outbound URL. */
  decorateUrl(url: string): string;
  getConsent(): ConsentState;
  /** Records the visitor's decision; releases or drops held events. */
  setConsent(update: ConsentUpdate): void;
  /** Listens to every record. Returns the unsubscribe function. */
  subscribe(listener: (record: TrackingRecord) => void): () => void;
  /** The latest records (at most 200), for late subscribers such as the debugger. */
  getRecords(): readonly TrackingRecord[];
  /** Listens to campaign and consent changes (for `useSyncExternalStore`). */
  subscribeState(listener: () => void): () => void;
  /** Asks every destination to send what it buffers. */
  flush(): Promise<void>;
}

const HOUR = 60 * 60 * 1000;

function browserPage(): Envelope['page'] {
  return {
    path: globalThis.location?.pathname ?? '',
    referrer: globalThis.document?.referrer ?? '',
  };
}

/**
 * Creates the tracker. In a browser it captures the campaign context of the current URL at once.
 *
 * @example
 * export const tracker = createTracker({
 *   contract,
 *   destinations: [dataLayer(), beacon({ url: '/api/collect' })],
 *   onError: (error) => console.warn(error.message),
 * });
 * tracker.track('purchase_completed', { order_id: 'A-1001', value: 129, currency: 'EUR' });
 */
export function createTracker<C extends AnyContract>(options: TrackerOptions<C>): Tracker<C> {
  const { contract, debug = false } = options;
  const now = () => Date.now();
  const storage = options.storage ? resilientStorage(() => options.storage) : browserStorage();
  const dedupeWindowMs = options.dedupeWindowMs ?? 48 * HOUR;
  const handoffTtlMs = options.handoffTtlMs ?? HOUR;
  const recorder = createRecorder(200, now, debug);
  const report = (error: TrackingError) => {
    try {
      options.onError?.(error);
    } catch {
      // The app's own error callback failed; tracking goes on.
    }
  };
  const delivery = createDelivery(
    options.destinations ?? [],
    mergeConsent(ALL_GRANTED, options.consent ?? {}),
    recorder,
    report,
    100,
    options.consent !== undefined,
  );
  const campaignOptions = options.campaign === false ? {} : (options.campaign ?? {});
  const campaign = createCampaignStore(storage, campaignOptions.ttlMs ?? DEFAULT_CAMPAIGN_TTL_MS, now);
  if (options.campaign !== false) {
    const url = campaignOptions.url ?? globalThis.location?.href;
    if (url) campaign.capture(url, campaignOptions.referrer ?? globalThis.document?.referrer ?? '');
  }
  const ledger = storageDedupeLedger(storage, now);

  const track = (event: string, payload: unknown, trackOptions?: TrackOptions): TrackResult => {
    const checked = validateEvent(contract, event, payload, trackOptions);
    if (!checked.ok) {
      const error = new TrackingError(
        checked.reason === 'unknown_event'
          ? checked.issues[0]!.message
          : `${event} was not sent: ${describeIssues(event, checked.issues)}`,
        checked.reason,
        event,
        checked.issues,
      );
      recorder.emit({ type: 'invalid', event, eventId: checked.eventId, payload, issues: checked.issues, error });
      report(error);
      return { status: 'invalid', eventId: checked.eventId, issues: checked.issues };
    }
    const envelope: Envelope = {
      event,
      eventId: checked.eventId,
      dedupeKey: checked.dedupeKey,
      conversion: checked.definition.conversion === true,
      timestamp: now(),
      payload: checked.payload,
      campaign: campaign.get(),
      page: browserPage(),
      source: 'client',
    };
    if (checked.ledgerKey !== null && !ledger.claim(checked.ledgerKey, dedupeWindowMs)) {
      recorder.emit({ type: 'duplicate', event, eventId: envelope.eventId, envelope });
      return { status: 'duplicate', eventId: envelope.eventId };
    }
    return { status: delivery.dispatch(envelope), eventId: envelope.eventId };
  };

  const stateListeners = new Set<() => void>();
  const notifyState = () => stateListeners.forEach((listener) => listener());
  campaign.subscribe(notifyState);
  delivery.subscribeConsent(notifyState);

  return {
    contract,
    track: track as Tracker<C>['track'],
    handoff(event, payload, handoffOptions = {}) {
      const checked = validateEvent(contract, event, payload, handoffOptions);
      if (!checked.ok) {
        track(event, payload, handoffOptions); // records and reports the rejection like any call
        return { status: 'invalid', issues: checked.issues };
      }
      storeHandoff(storage, event, { payload, options: handoffOptions, expiresAt: now() + handoffTtlMs }, now());
      return { status: 'stored' };
    },
    completeHandoff(event) {
      const pending = takeHandoff(storage, event, now());
      return pending ? track(event, pending.payload, pending.options) : null;
    },
    reportError(event, cause) {
      const issues = [{ message: `the payload could not be built: ${cause instanceof Error ? cause.message : String(cause)}` }];
      const error = new TrackingError(`${event} was not sent: ${issues[0]!.message}`, 'callback_failed', event, issues, undefined, { cause });
      recorder.emit({ type: 'invalid', event, eventId: randomEventId(), payload: undefined, issues, error });
      report(error);
    },
    getCampaign: campaign.get,
    captureCampaign: (url, referrer = '') => campaign.capture(url, referrer),
    decorateUrl: (url) => decorateUrlWith(campaign.get(), url),
    getConsent: delivery.consent,
    setConsent: delivery.setConsent,
    subscribe: recorder.subscribe,
    getRecords: recorder.history,
    subscribeState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    flush: delivery.flush,
  };
}
