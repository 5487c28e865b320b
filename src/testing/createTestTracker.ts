import type { AnyContract, EventName } from '../core/contract';
import type { Destination } from '../core/destination';
import type { EnvelopeOf } from '../core/envelope';
import type { TrackingRecord } from '../core/records';
import type { KeyValueStorage } from '../core/storage';
import { createTracker, storageKey, type Tracker, type TrackerOptions } from '../core/tracker';

type RecordOf<T extends TrackingRecord['type']> = Extract<TrackingRecord, { type: T }>;

/** Options of {@link createTestTracker}: the tracker's, with in-memory storage by default. */
export interface TestTrackerOptions<C extends AnyContract> extends TrackerOptions<C> {
  /**
   * The consent category of the recording destination. Default `'analytics'`, like GA4: with no
   * `consent` option everything is granted, so it records every accepted event.
   */
  recordAs?: 'analytics' | 'ads' | 'none';
}

/** A real tracker that records what it sends, for assertions in your tests. */
export interface TestTracker<C extends AnyContract> extends Tracker<C> {
  /** Envelopes the recording destination received, in order. */
  readonly sent: readonly EnvelopeOf<C>[];
  /** The received envelopes of conversions (`conversion: true`), or of one event. */
  conversions<E extends EventName<C>>(event?: E): Extract<EnvelopeOf<C>, { event: E }>[];
  /** Calls the contract rejected (`invalid` records), with their issues. */
  readonly rejected: readonly RecordOf<'invalid'>[];
  /** Calls deduplicated (`duplicate` records). */
  readonly duplicates: readonly RecordOf<'duplicate'>[];
  /** Events waiting for consent: `queued` records not yet delivered or dropped everywhere. */
  readonly held: readonly RecordOf<'queued'>[];
  /** Per-destination drops (consent denied, hold queue full). */
  readonly dropped: readonly RecordOf<'dropped'>[];
  /** Every record, in order. */
  readonly records: readonly TrackingRecord[];
  /** Forgets the recordings, the dedup ledger and pending handoffs (of its namespace), so the next test starts clean. */
  reset(): void;
}

/**
 * A real tracker with in-memory storage and a recording destination, for your own tests.
 *
 * @example
 * const tracker = createTestTracker({ contract });
 * render(<ConversionProvider tracker={tracker}><Checkout /></ConversionProvider>);
 * await user.click(screen.getByRole('button', { name: 'Pay' }));
 * expect(tracker.conversions('purchase_completed')).toHaveLength(1);
 */
export function createTestTracker<C extends AnyContract>(options: TestTrackerOptions<C>): TestTracker<C> {
  const items = new Map<string, string>();
  const storage: KeyValueStorage = options.storage ?? {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
  let sent: EnvelopeOf<C>[] = [];
  let records: TrackingRecord[] = [];
  const recorder: Destination = {
    name: 'test-recorder',
    consent: options.recordAs ?? 'analytics',
    send: (envelope) => void sent.push(envelope as EnvelopeOf<C>),
  };
  const tracker = createTracker({
    ...options,
    storage,
    campaign: options.campaign ?? { url: '' },
    destinations: [recorder, ...(options.destinations ?? [])],
  });
  tracker.subscribe((record) => records.push(record));
  const ofType = <T extends TrackingRecord['type']>(type: T) =>
    records.filter((record): record is RecordOf<T> => record.type === type);

  return {
    ...tracker,
    get sent() {
      return sent;
    },
    conversions<E extends EventName<C>>(event?: E) {
      return sent.filter((e) => (event === undefined ? e.conversion : e.event === event)) as Extract<EnvelopeOf<C>, { event: E }>[];
    },
    get rejected() {
      return ofType('invalid');
    },
    get duplicates() {
      return ofType('duplicate');
    },
    get held() {
      // Each queued record names the destinations waiting; each one's own outcome settles it.
      const waiting = new Map<string, Set<string>>();
      for (const record of records) {
        if (record.type === 'queued') waiting.set(record.eventId, new Set(record.destinations));
        else if (record.type === 'delivered' || record.type === 'failed' || record.type === 'dropped') {
          waiting.get(record.eventId)?.delete(record.destination);
        }
      }
      return ofType('queued').filter((record) => (waiting.get(record.eventId)?.size ?? 0) > 0);
    },
    get dropped() {
      return ofType('dropped');
    },
    get records() {
      return records;
    },
    reset() {
      sent = [];
      records = [];
      // This tracker's own entries only: another namespace's ledger and handoffs stay.
      storage.removeItem(storageKey(options.namespace, 'dedupe'));
      storage.removeItem(storageKey(options.namespace, 'handoff'));
    },
  };
}
