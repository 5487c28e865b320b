import type { ConsentCategory, ConsentState } from './consent';
import type { Envelope } from './envelope';

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
  /** Delivers one envelope. A throw or a rejection is recorded as `failed`, never reaches the app. */
  send(envelope: Envelope): void | Promise<void>;
  /** Told about every consent change (the gtag destination forwards it to Consent Mode). */
  updateConsent?(consent: ConsentState): void;
  /** Sends whatever the destination buffers. */
  flush?(): void | Promise<void>;
}
