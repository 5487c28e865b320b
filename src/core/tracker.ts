import {
  createCampaignStore,
  DEFAULT_CAMPAIGN_TTL_MS,
  type CampaignContext,
} from './campaign';
import { ALL_GRANTED, ALL_PENDING, mergeConsent, type ConsentState, type ConsentUpdate, type ConsentValue, type ConsentCategory } from './consent';
import type { AnyContract, EventName, PayloadInput } from './contract';
import { confirmClaim, storageDedupeLedger } from './dedupe-ledger';
import { createDelivery } from './delivery';
import type { Destination } from './destination';
import type { Envelope } from './envelope';
import { describeIssues, TrackingError, type TrackingErrorReason } from './errors';
import { createEmitter } from './emitter';
import { randomEventId } from './event-id';
import { storeHandoff, takeHandoffs } from './handoff';
import { createRecorder, type TrackingRecord } from './records';
import type { StandardSchemaV1 } from './standard-schema';
import { resilientStorage, type KeyValueStorage } from './storage';
import { validateEvent, type AcceptedEvent, type TrackOptions } from './validation';
import { warnOnce } from './warn';

/**
 * Options of {@link createTracker}.
 *
 * @example
 * createTracker({ contract, destinations: [gtag({ ... })], consent: { analytics: 'pending', ads: 'pending' } })
 */
export interface TrackerOptions<C extends AnyContract> {
  /**
   * The event contract from `defineContract`.
   *
   * @example
   * createTracker({ contract })
   */
  contract: C;
  /**
   * Where accepted events go. Each one's failure is isolated from the others and from the app.
   *
   * @example
   * destinations: [dataLayer(), beacon({ url: '/api/collect' })]
   */
  destinations?: readonly Destination[];
  /**
   * Campaign capture. By default the current `location.href` and `document.referrer` are read once,
   * at creation (client-side route changes: `captureCampaign`), and touches live 90 days. `false`
   * turns capture off (stored touches still apply).
   *
   * @example
   * campaign: { ttlMs: 30 * 24 * 3600_000 } // a 30-day attribution window
   */
  campaign?: false | { ttlMs?: number; url?: string; referrer?: string };
  /**
   * Initial consent. Leave it out when the site needs no consent banner: everything is granted. With
   * it, a category it does not name is `pending`.
   *
   * @example
   * consent: { analytics: 'pending', ads: 'pending' } // hold events until the banner is answered
   */
  consent?: Partial<Record<ConsentCategory, ConsentValue>>;
  /**
   * Where the dedup ledger, touches and handoffs persist. `localStorage`, falling back to memory.
   *
   * @example
   * storage: memoryStorage() // nothing persisted (tests, or until the visitor consents)
   */
  storage?: KeyValueStorage;
  /**
   * Scopes the dedup ledger and the handoffs to this tracker, for two trackers with their own
   * contracts on one page (a shop and a gift-card widget): keys become `conversion-kit:<namespace>:dedupe`
   * and `conversion-kit:<namespace>:handoff`, and a tracker never takes another one's handoff. Left
   * out, the keys are `conversion-kit:dedupe` and `conversion-kit:handoff`, as before. The campaign
   * (`conversion-kit:campaign`) is shared on purpose: one visitor, one campaign.
   *
   * @example
   * createTracker({ contract: giftCardContract, namespace: 'gift-cards' })
   */
  namespace?: string;
  /**
   * How long a dedup key blocks a second send. Default 48 hours, Meta's dedup window. `Infinity`
   * blocks it for as long as the key is among the ledger's 500 most recent claims.
   *
   * @example
   * dedupeWindowMs: 7 * 24 * 3600_000
   */
  dedupeWindowMs?: number;
  /**
   * How long a thank-you page handoff waits to be completed. Default 1 hour.
   *
   * @example
   * handoffTtlMs: 15 * 60_000
   */
  handoffTtlMs?: number;
  /**
   * Logs every record to the console.
   *
   * @example
   * debug: process.env.NODE_ENV !== 'production'
   */
  debug?: boolean;
  /**
   * The build or version of the site, sent with every event as the envelope's `release`, so the
   * collector counts each release apart (a drop or a rise of invalid events after a deploy names the
   * release). At most 64 characters of `A-Z a-z 0-9 . _ + -`: the collector rejects events with any
   * other. Default none.
   *
   * @example
   * release: process.env.NEXT_PUBLIC_RELEASE // '2026.12.04+9f3c2a1', set at build time
   */
  release?: string;
  /**
   * Told about every tracking failure (invalid payload, destination failure). Never re-thrown.
   *
   * @example
   * onError: (error) => Sentry.captureException(error, { tags: { event: error.event } })
   */
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
  /**
   * With `stored`: `false` when storage refused it (full, blocked, none): it lives in this page's
   * memory only, so a view of this page (a single-page app) still completes it, but a full page
   * load does not. Send it now with `completeHandoff(event)` if the next page is a full load.
   */
  readonly persisted?: boolean;
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
  /**
   * First and last touch: a cached, immutable snapshot, rebuilt when storage changed (another tab
   * captured a touch) or a touch expired since the last read.
   */
  getCampaign(): CampaignContext;
  /**
   * Captures a new URL's campaign parameters, for client-side navigations that bring new UTMs. A
   * path (`/pricing?utm_source=x`, what routers hand over) is resolved against the page's location;
   * a hash route's parameters (`#/pricing?utm_source=x`) count too. What cannot be resolved is not
   * captured (a development warning says so).
   */
  captureCampaign(url: string, referrer?: string): void;
  getConsent(): ConsentState;
  /** Records the visitor's decision; releases or drops held events. */
  setConsent(update: ConsentUpdate): void;
  /** Listens to every record. Returns the unsubscribe function. */
  subscribe(listener: (record: TrackingRecord) => void): () => void;
  /** The latest records (at most 200), for late subscribers such as the debugger. */
  getRecords(): readonly TrackingRecord[];
  /** Listens to campaign and consent changes (for `useSyncExternalStore`) and to new handoffs. */
  subscribeState(listener: () => void): () => void;
  /** Asks every destination to send what it buffers. */
  flush(): Promise<void>;
}

const HOUR = 3_600_000; // ms

/**
 * The storage key of one of a tracker's entries (`dedupe`, `handoff`): `conversion-kit:<name>`, or
 * `conversion-kit:<namespace>:<name>` for a namespaced tracker.
 */
export const storageKey = (namespace: string | undefined, name: string): string =>
  `conversion-kit:${namespace ? namespace + ':' : ''}${name}`;

const checkedOutputs = new WeakMap<object, true>();

/**
 * Development check, once per schema: the collector validates what the browser sends, which is the
 * schema's output. A transform whose output no longer passes the schema (`z.string().transform(Number)`)
 * would have every event rejected there.
 */
function warnIfOutputFails(event: string, checked: AcceptedEvent): void {
  const { schema } = checked.definition;
  if (checkedOutputs.has(schema)) return;
  checkedOutputs.set(schema, true);
  const again = schema['~standard'].validate(checked.payload);
  if (again instanceof Promise || again.issues) {
    warnOnce(`${event}: the schema's output does not pass the schema again (a transform?). The collector validates what the browser sends and will reject every ${event}.`);
  }
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
  const { contract, campaign: campaignOptions = {}, dedupeWindowMs = 48 * HOUR, handoffTtlMs = HOUR } = options;
  const owner = options.namespace || undefined;
  const handoffKey = storageKey(owner, 'handoff');
  // `browserStorage()` when no storage is given: the same wrapper of `localStorage`.
  const backing = () => options.storage || globalThis.localStorage;
  const storage = resilientStorage(backing);
  const recorder = createRecorder(200, options.debug === true);
  const changed = createEmitter();
  const report = (error: TrackingError) => {
    try {
      options.onError?.(error);
    } catch {
      // The app's own error callback failed; tracking goes on.
    }
  };
  const delivery = createDelivery(
    options.destinations ?? [],
    // With a consent option, a category it leaves out is pending: consent is never assumed.
    mergeConsent(options.consent ? ALL_PENDING : ALL_GRANTED, options.consent),
    recorder,
    report,
    500,
    changed,
    options.consent !== undefined,
  );
  const campaign = createCampaignStore(storage, (campaignOptions || {}).ttlMs ?? DEFAULT_CAMPAIGN_TTL_MS, changed);
  const { location, document } = globalThis;
  if (campaignOptions) {
    const url = campaignOptions.url ?? location?.href;
    if (url) campaign.capture(url, campaignOptions.referrer ?? document?.referrer ?? '');
  }
  const ledger = storageDedupeLedger(storage, storageKey(owner, 'dedupe'));

  const reject = (
    event: string,
    payload: unknown,
    reason: TrackingErrorReason,
    issues: readonly StandardSchemaV1.Issue[],
    cause?: unknown,
  ): TrackResult => {
    const eventId = randomEventId();
    const message = `${event} was not sent: ${describeIssues(event, issues)}`;
    const error = new TrackingError(message, reason, event, issues, undefined, cause);
    recorder.emit({ type: 'invalid', event, eventId, payload, issues, error });
    report(error);
    // Never silent in development: without onError or debug, say it once per event and problem.
    if (typeof process !== 'undefined') {
      if (process.env.NODE_ENV !== 'production' && !options.onError && !options.debug) warnOnce(message);
    }
    return { status: 'invalid', eventId, issues };
  };

  const track = (event: string, payload: unknown, trackOptions?: TrackOptions): TrackResult => {
    const checked = validateEvent(contract, event, payload, trackOptions);
    if (!checked.ok) return reject(event, payload, checked.reason, checked.issues);
    if (typeof process !== 'undefined') {
      if (process.env.NODE_ENV !== 'production') warnIfOutputFails(event, checked);
    }
    const { eventId, dedupeKey, ledgerKey } = checked;
    const envelope: Envelope = {
      event,
      eventId,
      dedupeKey,
      conversion: checked.definition.conversion === true,
      timestamp: Date.now(),
      payload: checked.payload,
      campaign: campaign.get(),
      // Without query and fragment: click ids and UTMs travel in `campaign`; nothing else of a query
      // string (personal data, tokens) leaves the page.
      page: { path: location?.pathname ?? '', referrer: (document?.referrer ?? '').split(/[?#]/)[0]! },
      source: 'client',
      ...(typeof trackOptions?.proof === 'string' && { proof: trackOptions.proof }),
      ...(options.release && { release: options.release }),
    };
    if (ledgerKey && !ledger.claim(ledgerKey, dedupeWindowMs)) {
      recorder.emit({ type: 'duplicate', event, eventId, envelope });
      return { status: 'duplicate', eventId };
    }
    // Two tabs may both claim the key in the same instant; where Web Locks settle that (a few ms),
    // in-page destinations wait for it and fire in one tab only. A collector dedups by eventId itself.
    return { status: delivery.dispatch(envelope, ledgerKey ? () => confirmClaim(ledger, ledgerKey, dedupeWindowMs) : undefined), eventId };
  };

  return {
    contract,
    track: track as Tracker<C>['track'],
    handoff(event, payload, handoffOptions) {
      const checked = validateEvent(contract, event, payload, handoffOptions);
      if (!checked.ok) return reject(event, payload, checked.reason, checked.issues) as HandoffResult;
      const { eventId } = checked;
      try {
        // The id goes along, so an event without a dedup key is still deduped on the next page.
        storeHandoff(storage, handoffKey, eventId, { event, payload: checked.payload, options: { ...handoffOptions, eventId }, expiresAt: Date.now() + handoffTtlMs, owner });
      } catch (cause) {
        return reject(event, payload, 'invalid_payload', [{ message: String(cause) }], cause) as HandoffResult;
      }
      let persisted = false;
      try {
        // The storage wrapper keeps what storage refuses in memory: ask the storage itself.
        persisted = !!backing().getItem(handoffKey)?.includes(`"${eventId}"`);
      } catch {
        // No storage at all (a server, a blocked one): memory only.
      }
      // A thank-you view that stays mounted (a one-page checkout) takes it at once.
      changed.emit();
      return { status: 'stored', persisted };
    },
    completeHandoff(event) {
      let result: TrackResult | null = null;
      for (const pending of takeHandoffs(storage, handoffKey, event, owner)) result = track(event, pending.payload, pending.options);
      return result;
    },
    reportError: (event, cause) =>
      void reject(event, undefined, 'callback_failed', [{ message: `building the payload threw ${String(cause)}` }], cause),
    getCampaign: campaign.get,
    captureCampaign: campaign.capture,
    getConsent: delivery.consent,
    setConsent: delivery.setConsent,
    subscribe: recorder.subscribe,
    getRecords: recorder.history,
    subscribeState: changed.subscribe,
    flush: delivery.flush,
  };
}
