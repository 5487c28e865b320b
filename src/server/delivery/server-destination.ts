import type { ConsentCategory, ConsentState } from '../../core/consent';
import type { SendResult } from '../../core/destination';
import type { Envelope } from '../../core/envelope';

/**
 * What the server knows about the person behind an event, for ad-platform matching. Given in plain
 * text: destinations normalise and hash it themselves (Meta: SHA-256 after Meta's rules). Values that
 * already are SHA-256 hex digests are sent as they are. Never read from browser input.
 *
 * @example
 * { email: 'Ada@Example.com', phone: '+44 20 7183 8750', firstName: 'Ada', lastName: 'Lovelace', country: 'GB' }
 */
export interface UserData {
  email?: string | readonly string[];
  /** With the country code, after `+` or `00` (`+1 650 555 1212`): a number without it is left out, Meta cannot match it. */
  phone?: string | readonly string[];
  firstName?: string;
  lastName?: string;
  /** `1997-02-16`, `19970216`, `02/16/1997`, `16.02.1997`; sent as `YYYYMMDD`, left out when day and month are ambiguous. */
  dateOfBirth?: string;
  /** `f`, `m` or a recognised word (`female`, `male`, `mujer`); anything else is left out. */
  gender?: string;
  city?: string;
  /** State or region; a US state's name becomes its two-letter code (`California` -> `ca`). */
  state?: string;
  zip?: string;
  /** ISO 3166-1 alpha-2 (`DE`), or a common name or alpha-3 code (`Germany`, `DEU`, `UK`); an unknown name is left out. */
  country?: string;
  /** Your own stable id of the customer (hashed before sending). */
  externalId?: string;
}

/**
 * The visitor's connection, forwarded only when the integrator opts in (see the collector's `clientInfo`).
 *
 * @example
 * { ipAddress: '203.0.113.7', userAgent: 'Mozilla/5.0 …' }
 */
export interface ClientInfo {
  readonly ipAddress?: string;
  readonly userAgent?: string;
}

/**
 * What a server destination gets besides the envelope. Everything is optional: the collector only
 * knows what the request carried and what you allowed it to read.
 *
 * @example
 * { userData: { email: 'ada@example.com' }, consent: { ads: 'granted' } }
 */
export interface ForwardContext {
  /** Plain-text user data for matching (server tracker only). */
  readonly userData?: UserData;
  /** IP and user agent, when the integrator opted in. */
  readonly client?: ClientInfo;
  /** The consent known for this event; a category left out is unknown. */
  readonly consent?: Partial<ConsentState>;
  /**
   * Aborted when the delivery must stop: its dedup claim's lease is about to end, and past it another
   * instance could deliver the event too. Hand it to `fetch`. Absent when the claim lasts the window.
   *
   * @example
   * send: async (envelope, { signal }) => { await fetch(url, { method: 'POST', body: JSON.stringify(envelope), signal }) }
   */
  readonly signal?: AbortSignal;
}

/**
 * A destination the collector and the server tracker forward to. A core `Destination` fits too (it
 * ignores the context). `send` resolves when the platform accepted the event and rejects otherwise;
 * a rejection frees the event's dedup claim so a later report can deliver it. It may resolve to a
 * `SendResult` naming what it left out: the destination's `delivered` outcome carries it as
 * `omitted`, and `onError` hears it (reason `data_omitted`).
 *
 * @example
 * const audit: ServerDestination = {
 *   name: 'audit-log',
 *   consent: 'none',
 *   send: async (envelope) => { await db.insert('conversions', envelope) },
 * };
 */
export interface ServerDestination {
  /**
   * Unique among a collector's destinations: part of the dedup key.
   *
   * @example
   * name: 'audit-log'
   */
  readonly name: string;
  /**
   * The consent category it needs: skipped when the context says that category is denied or pending.
   * Default `'analytics'`.
   *
   * @example
   * consent: 'ads' // an ad platform: skipped unless ads consent is granted or unknown
   */
  readonly consent?: ConsentCategory | 'none';
  /**
   * What of the visitor's connection the platform needs; the collector warns at creation when its
   * `clientInfo` option does not forward it.
   *
   * @example
   * requiresClientInfo: ['userAgent'] // Meta CAPI: client_user_agent is required for website events
   */
  readonly requiresClientInfo?: readonly (keyof ClientInfo)[];
  /**
   * The longest one `send` may take, every attempt and wait included. The collector and the server
   * tracker refuse at creation a destination that could outlast its dedup lease (`leaseMs`).
   *
   * @example
   * maxDurationMs: 3 * 5000 + 2 * 10_000 // three 5 s attempts, two waits of at most 10 s
   */
  readonly maxDurationMs?: number;
  send(envelope: Envelope, context: ForwardContext): void | SendResult | Promise<void | SendResult>;
}
