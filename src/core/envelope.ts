import type { CampaignContext } from './campaign';
import type { AnyContract, EventName, PayloadOutput } from './contract';

/**
 * Every event that leaves the tracker, in one shape, for every destination and the collector.
 *
 * @example
 * {
 *   event: 'purchase_completed',
 *   eventId: '219760fd-5a25-8010-bbce-0844ce9b0ccb', // derived from the event and its dedup key (eventIdFor)
 *   dedupeKey: 'A-1001',
 *   conversion: true,
 *   timestamp: 1764372000000,
 *   payload: { order_id: 'A-1001', value: 129, currency: 'EUR' },
 *   campaign: { first: { utm_source: 'google', ... }, last: { ... } },
 *   page: { path: '/checkout', referrer: 'https://www.google.com/' },
 *   source: 'client',
 * }
 */
export interface Envelope<Event extends string = string, Payload = Record<string, unknown>> {
  /** The contract's snake_case event name. */
  readonly event: Event;
  /** A UUID: derived from event + dedup key when there is one (see `eventIdFor`), random otherwise. */
  readonly eventId: string;
  /** The dedup key (the value of the contract's `dedupeBy` field, or the one passed to `track`). */
  readonly dedupeKey: string | null;
  /** Whether the contract marks the event `conversion: true`. */
  readonly conversion: boolean;
  /** Epoch milliseconds when the event was tracked. */
  readonly timestamp: number;
  /** The payload as the schema output it (defaults and transforms applied). */
  readonly payload: Payload;
  /** First and last touch when the event was tracked. */
  readonly campaign: CampaignContext;
  /** Where the event happened. */
  readonly page: { readonly path: string; readonly referrer: string };
  /** Which side reported it. */
  readonly source: 'client' | 'server';
  /**
   * Platform identifiers the server needs to send an event on, read in the browser by the `beacon`
   * destination: GA4's client id (from the `_ga` cookie) and Meta's `fbp`/`fbc` (from `_fbp`/`_fbc`,
   * or `fbc` derived from the campaign's fbclid).
   */
  readonly identity?: EnvelopeIdentity;
  /**
   * The backend's signature of this conversion (`signConversion` in `conversion-kit/server`), passed
   * through `track(event, payload, { proof })`: a collector can require it before it forwards a
   * browser's report of the event.
   */
  readonly proof?: string;
  /**
   * The build that tracked it (`createTracker({ release })`, `createServerTracker({ release })`): a
   * version or build id of at most 64 characters of `A-Z a-z 0-9 . _ + -`. The collector counts events
   * per release and rejects an envelope whose `release` is not such a string.
   *
   * @example
   * release: '2026.12.04+9f3c2a1'
   */
  readonly release?: string;
}

/** Identifiers that let server-side destinations match an event to a browser. */
export interface EnvelopeIdentity {
  /** GA4 `client_id`: the last two fields of the `_ga` cookie (`GA1.1.123.456` -> `123.456`). */
  readonly ga_client_id?: string;
  /** Meta browser id, the `_fbp` cookie (`fb.1.<ms>.<random>`). */
  readonly fbp?: string;
  /** Meta click id, the `_fbc` cookie or the campaign's derived `fbc`. */
  readonly fbc?: string;
  /**
   * GA4 session id: the session's start in epoch seconds, from the `_ga_<container id>` cookie
   * (`GS1.1.1746825440.14…` or `GS2.1.s1746825440$o14…` -> `'1746825440'`). Sent as the Measurement
   * Protocol's `session_id` param, which joins a server event to the visitor's session and campaign.
   *
   * @example
   * ga_session_id: '1746825440'
   */
  readonly ga_session_id?: string;
  /**
   * GA4 session number: how many sessions the visitor has had, from the same cookie (`'14'`).
   *
   * @example
   * ga_session_number: '14'
   */
  readonly ga_session_number?: string;
}

/** The envelope of any event of contract `C`, as a union narrowed by `event`. */
export type EnvelopeOf<C extends AnyContract> = {
  [E in EventName<C>]: Envelope<E, PayloadOutput<C, E>>;
}[EventName<C>];
