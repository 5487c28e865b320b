import type { AnyContract, EventName } from '../core/contract';
import type { Destination } from '../core/destination';
import type { Envelope, EnvelopeOf } from '../core/envelope';
import type { RegisteredContract } from '../react/register';
import { resolveEntry, type EnvelopeFor } from './event-map';
import { googleTag } from './google-tag';
import type { WaitOptions } from './platform-queue';
import type { HashedUserData } from './user-data';
import { withNumericValue } from '../core/numeric-value';

/**
 * The `gtag()` function of Google's snippet (`function gtag(){dataLayer.push(arguments);}`).
 *
 * @example
 * const send = (window as unknown as { gtag?: Gtag }).gtag;
 */
export type Gtag = (...args: unknown[]) => void;

/**
 * One GA4 event of the map: its name and, optionally, its parameters (default: the payload).
 *
 * @example
 * { name: 'purchase', params: ({ payload }) => ({ value: payload.value, currency: payload.currency, items: payload.items }) }
 */
export interface Ga4Event<C extends AnyContract, E extends EventName<C>> {
  /**
   * The GA4 event name (a recommended event where one fits).
   *
   * @example
   * name: 'purchase'
   */
  name: string;
  /**
   * Builds the event parameters from the typed envelope; default: the payload as it is.
   *
   * @example
   * params: ({ payload }) => ({ value: payload.value, currency: payload.currency })
   */
  params?: (envelope: EnvelopeFor<C, E>) => Record<string, unknown>;
}

/**
 * Options of {@link gtag}.
 *
 * @example
 * gtag({ events: { purchase_completed: 'purchase' }, sendTo: 'G-XXXXXXX', userData: () => hashed, waitMs: 15_000 })
 */
export interface GtagOptions<C extends AnyContract = RegisteredContract> extends WaitOptions {
  /**
   * GA4 names for contract events (GA4 recommended events: `purchase`, `generate_lead`, `sign_up`).
   * Events left out go to GA4 under their contract name; `false` keeps one out.
   *
   * @example
   * { purchase_completed: 'purchase', lead_submitted: 'generate_lead', cta_clicked: false }
   */
  events?: { readonly [E in EventName<C>]?: string | false | Ga4Event<C, E> };
  /**
   * GA4 measurement id(s) for `send_to`, when the page configures more than one tag.
   *
   * @example
   * sendTo: 'G-XXXXXXX'
   */
  sendTo?: string | readonly string[];
  /**
   * Hashed user-provided data for an event (from {@link hashUserData}), sent as that event's
   * `user_data` parameter only, never page-wide with `gtag('set', ...)`. Data that is not hashed is
   * refused (nothing raw leaves the page): the event goes without it, then the send is reported as
   * failed (a `failed` record and `onError`, naming the field), so the conversion still counts. The
   * same happens when this function throws.
   *
   * @example
   * userData: ({ payload }) => hashedByOrder.get(payload.order_id)
   */
  userData?: (envelope: EnvelopeOf<C>) => HashedUserData | null | undefined;
  /**
   * Forward the tracker's consent decisions to Consent Mode (`gtag('consent', 'update', ...)`).
   * Default `true`; `false` when your consent platform updates Consent Mode itself.
   *
   * @example
   * consentMode: false
   */
  consentMode?: boolean;
}

const TRANSACTION_EVENTS = ['purchase', 'refund'];

/**
 * Google Analytics 4 through gtag.js: `gtag('event', name, params)`. Consent category `analytics`;
 * Google Ads conversions are the separate {@link googleAds} destination, since they need `ads`
 * consent. Purchases carry `transaction_id` from the dedup key (the event id when there is none), so
 * it is never empty: GA4 merges every purchase with an empty one. `value` and `currency` pass through
 * with the payload (a `value` kept as a decimal string, `'129.50'`, as the number GA4 needs). Consent decisions go to Consent Mode as `gtag('consent', 'update', ...)`; the
 * page's snippet must still set `gtag('consent', 'default', ...)` before `config`.
 *
 * @example
 * gtag({ events: { purchase_completed: 'purchase', lead_submitted: 'generate_lead' } })
 * // gtag('event', 'purchase', { order_id: 'A-1001', value: 129, currency: 'EUR', transaction_id: 'A-1001' })
 */
export function gtag<C extends AnyContract = RegisteredContract>(options: GtagOptions<C> = {}): Destination {
  if ('ads' in options) throw new Error('[conversion-kit] gtag({ ads }): Ads conversions need ads consent, use googleAds({ conversions })');
  const { sendTo } = options;
  const events = options.events as Record<string, string | false | Ga4Event<AnyContract, string>> | undefined;
  const tag = googleTag({ ...options, consent: 'analytics' });
  const resolve = (envelope: Envelope) => resolveEntry(events, envelope.event, 'name', envelope.event);
  return {
    name: 'gtag',
    consent: 'analytics',
    accepts: (envelope) => !!resolve(envelope),
    send(envelope) {
      const { name, params: toParams } = resolve(envelope) as Ga4Event<AnyContract, string>;
      const left: string[] = [];
      const params: Record<string, unknown> = withNumericValue({ ...(toParams ? toParams(envelope) : envelope.payload) }, left);
      const id = params.transaction_id;
      if (TRANSACTION_EVENTS.includes(name) && !(typeof id === 'number' || (typeof id === 'string' && id.trim()))) {
        params.transaction_id = envelope.dedupeKey ?? envelope.eventId;
      }
      if (sendTo) params.send_to = sendTo;
      return tag.event(envelope, name, params, left);
    },
    updateConsent: tag.updateConsent,
  };
}
