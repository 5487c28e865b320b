import type { ConsentCategory, ConsentState } from './consent';
import type { Envelope } from './envelope';

/**
 * What a destination may answer for a delivery, besides success itself.
 *
 * @example
 * { omitted: ['phone: no country calling code (countryCallingCode), left out'] }
 */
export interface SendResult {
  /**
   * What the destination left out of the event because the platform would not take it in the form
   * given, one line each: the field, then why. Never the value itself (it may be personal data).
   * Recorded on the `delivered` record (the debugger shows it); the server destinations' outcome
   * carries it too.
   *
   * @example
   * omitted: ['field_26: GA4 takes 25 parameters per event, left out']
   */
  readonly omitted?: readonly string[];
}

/**
 * Where events go. A plain object: a custom destination is a few lines.
 *
 * @example
 * const consoleDestination: Destination = {
 *   name: 'console',
 *   consent: 'none',
 *   send: (envelope) => console.log(envelope.event, envelope.payload),
 * };
 */
export interface Destination {
  /** Shown in records and errors. */
  readonly name: string;
  /**
   * The consent category this destination needs before it may receive events. Ad platforms need
   * `'ads'`; analytics (GA4, GTM, the first-party collector) need `'analytics'`, the default; `'none'`
   * for strictly necessary processing that needs no consent.
   */
  readonly consent?: ConsentCategory | 'none';
  /**
   * Whether this destination takes `envelope` at all; default every event. An ad platform takes only
   * the events its conversion map names: the others are neither held for consent, sent, nor recorded
   * for it (no `delivered` record for an event the platform never saw).
   */
  accepts?(envelope: Envelope): boolean;
  /**
   * `true` when whoever receives this destination's events drops a second copy of an `eventId` itself
   * (the beacon's collector does). Such a destination gets a deduplicated conversion at once; the others
   * wait until the claim on its dedup key is settled between tabs (a few milliseconds, where the browser
   * has Web Locks), so two tabs confirming one order in the same instant fire in-page tags once.
   */
  readonly receiverDedupes?: boolean;
  /**
   * Delivers one envelope. A throw or a rejection is recorded as `failed`, never reaches the app; a
   * returned promise resolves when the platform has the event (a `delivered` record then). It may
   * resolve to a {@link SendResult} naming what it left out (the record's `omitted`).
   */
  send(envelope: Envelope): void | SendResult | Promise<void | SendResult>;
  /**
   * Told the consent the tracker starts with, when the app passes a `consent` option (a returning
   * visitor's stored decision), and every change after. The gtag destination forwards it to Consent
   * Mode; the beacon destination drops its stored queue on a denial.
   */
  updateConsent?(consent: ConsentState): void;
  /** Sends whatever the destination buffers. */
  flush?(): void | Promise<void>;
}
