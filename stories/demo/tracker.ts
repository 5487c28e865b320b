import {
  createTracker,
  type ConsentCategory,
  type ConsentValue,
  type Destination,
  type EnvelopeOf,
  type EventName,
  type KeyValueStorage,
  type Tracker,
  type TrackingRecord,
} from 'conversion-kit';
import { beacon } from 'conversion-kit/destinations';
import { contract } from '../../test/fixtures/contract';

type Contract = typeof contract;
type RecordOf<T extends TrackingRecord['type']> = Extract<TrackingRecord, { type: T }>;

/** Where the demos' beacon posts: the kit's collector on the same server (stories/demo/server). */
export const COLLECT_URL = '/api/collect';

/**
 * The tracker of one demo page load: a real tracker whose only destination is the real `beacon`,
 * plus what `play` functions read (taken from its records and from what it handed to the beacon).
 */
export interface DemoTracker extends Tracker<Contract> {
  /** Envelopes the tracker handed to the beacon, in order: what the browser fired. */
  readonly fired: readonly EnvelopeOf<Contract>[];
  /** Every record, in order (the tracker's own history keeps only the latest 200). */
  readonly records: readonly TrackingRecord[];
  /** Calls the contract rejected. */
  readonly rejected: readonly RecordOf<'invalid'>[];
  /** Calls deduplicated. */
  readonly duplicates: readonly RecordOf<'duplicate'>[];
  /** Events waiting for consent: held, and neither handed to the beacon nor dropped yet. */
  readonly held: readonly RecordOf<'queued'>[];
  /** Events the beacon will never get (consent declined, hold queue full). */
  readonly dropped: readonly RecordOf<'dropped'>[];
}

export interface DemoTrackerOptions {
  /** The page's URL: its campaign parameters are captured as on a real landing. */
  url: string;
  referrer?: string;
  /** Shared by every page load of one visit, as localStorage is. */
  storage: KeyValueStorage;
  consent?: Partial<Record<ConsentCategory, ConsentValue>>;
  /** Told about each envelope handed to the beacon. */
  onFired?: (envelope: EnvelopeOf<Contract>) => void;
}

/** The real destination, unchanged, except that it notes what it is handed. */
function noting(destination: Destination, note: (envelope: EnvelopeOf<Contract>) => void): Destination {
  return {
    ...destination,
    send(envelope) {
      note(envelope as EnvelopeOf<Contract>);
      return destination.send(envelope);
    },
  };
}

/** A new tracker, as a real page load creates one. */
export function createDemoTracker(options: DemoTrackerOptions): DemoTracker {
  const fired: EnvelopeOf<Contract>[] = [];
  const records: TrackingRecord[] = [];
  // The beacon mirrors its queue into the visit's storage, so a later page load of the visit sends
  // what this one could not, as it would from localStorage.
  const delivery = beacon({ url: COLLECT_URL, storage: options.storage });
  const tracker = createTracker({
    contract,
    storage: options.storage,
    campaign: { url: options.url, referrer: options.referrer ?? '' },
    consent: options.consent,
    destinations: [
      noting(delivery, (envelope) => {
        fired.push(envelope);
        options.onFired?.(envelope);
      }),
    ],
  });
  tracker.subscribe((record) => records.push(record));
  const ofType = <T extends TrackingRecord['type']>(type: T) => records.filter((r): r is RecordOf<T> => r.type === type);
  const firedIds = () => new Set(fired.map((envelope) => envelope.eventId));
  const droppedIds = () => new Set(ofType('dropped').map((record) => record.eventId));

  return {
    ...tracker,
    fired,
    records,
    get rejected() {
      return ofType('invalid');
    },
    get duplicates() {
      return ofType('duplicate');
    },
    get held() {
      const [handed, dropped] = [firedIds(), droppedIds()];
      return ofType('queued').filter((record) => !handed.has(record.eventId) && !dropped.has(record.eventId));
    },
    get dropped() {
      return ofType('dropped');
    },
  };
}

/** The envelopes of `fired` that are conversions, or of one event. */
export function firedOf<E extends EventName<Contract>>(fired: readonly EnvelopeOf<Contract>[], event?: E) {
  return fired.filter((envelope) => (event === undefined ? envelope.conversion : envelope.event === event)) as Extract<
    EnvelopeOf<Contract>,
    { event: E }
  >[];
}
