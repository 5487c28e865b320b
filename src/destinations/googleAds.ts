import type { AnyContract, EventName } from '../core/contract';
import type { Destination } from '../core/destination';
import { withNumericValue } from '../core/numeric-value';
import type { Envelope, EnvelopeOf } from '../core/envelope';
import type { RegisteredContract } from '../react/register';
import { resolveEntry, type EnvelopeFor } from './event-map';
import { googleTag } from './google-tag';
import type { WaitOptions } from './platform-queue';
import type { HashedUserData } from './user-data';

/**
 * What a Google Ads conversion carries besides `send_to`.
 *
 * @example
 * { value: 129, currency: 'EUR', transaction_id: 'A-1001' }
 */
export interface AdsConversionParams {
  /**
   * The conversion value.
   *
   * @example
   * value: 129
   */
  value?: number;
  /**
   * ISO 4217 currency code of `value`.
   *
   * @example
   * currency: 'EUR'
   */
  currency?: string;
  /**
   * Google Ads drops a second conversion with the same id; default: the dedup key, else the event id.
   *
   * @example
   * transaction_id: 'A-1001'
   */
  transaction_id?: string;
  [param: string]: unknown;
}

/**
 * One Google Ads conversion of the map: its `send_to` (`AW-CONVERSION_ID/LABEL`) and, optionally,
 * its parameters (default: `value` and `currency` from the payload).
 *
 * @example
 * { sendTo: 'AW-123456789/XyZ', params: ({ payload }) => ({ value: payload.plan === 'team' ? 300 : 100, currency: 'EUR' }) }
 */
export interface AdsConversion<C extends AnyContract, E extends EventName<C>> {
  /**
   * The conversion action, `AW-CONVERSION_ID/CONVERSION_LABEL` from Google Ads.
   *
   * @example
   * sendTo: 'AW-123456789/AbC-D_efG'
   */
  sendTo: string;
  /**
   * Builds the conversion parameters from the typed envelope; default: `value` and `currency` from
   * the payload.
   *
   * @example
   * params: ({ payload }) => ({ value: payload.value, currency: payload.currency })
   */
  params?: (envelope: EnvelopeFor<C, E>) => AdsConversionParams;
}

/**
 * Options of {@link googleAds}.
 *
 * @example
 * googleAds({ conversions: { purchase_completed: 'AW-123456789/AbC-D_efG' }, userData: () => hashed })
 */
export interface GoogleAdsOptions<C extends AnyContract = RegisteredContract> extends WaitOptions {
  /**
   * The conversion actions: contract event -> `'AW-CONVERSION_ID/LABEL'`. Only these events go to
   * Google Ads.
   *
   * @example
   * { purchase_completed: 'AW-123456789/AbC-D_efG', lead_submitted: 'AW-123456789/XyZ' }
   */
  conversions: { readonly [E in EventName<C>]?: string | AdsConversion<C, E> };
  /**
   * Hashed user data for enhanced conversions (see {@link hashUserData}), sent as the conversion's
   * `user_data` parameter only. Refused (unhashed) data or a throwing function never loses the
   * conversion: it goes without user data, and the send is then reported as failed.
   *
   * @example
   * userData: () => hashedCustomer
   */
  userData?: (envelope: EnvelopeOf<C>) => HashedUserData | null | undefined;
  /**
   * Forward the tracker's consent decisions to Consent Mode. Default `true`; sent once when the gtag
   * destination forwards the same decision.
   *
   * @example
   * consentMode: false
   */
  consentMode?: boolean;
}

/**
 * Google Ads conversions through gtag.js:
 * `gtag('event', 'conversion', { send_to, value, currency, transaction_id })`, with the dedup key as
 * `transaction_id` (the event id when there is none) so Google Ads drops a repeat. Consent category
 * `ads`: the GA4 side is {@link gtag}, which needs only `analytics`, so one page's gtag.js carries
 * both with the right consent each.
 *
 * @example
 * googleAds({ conversions: { purchase_completed: 'AW-123456789/AbC-D_efG' } })
 * // gtag('event', 'conversion', { send_to: 'AW-123456789/AbC-D_efG', value: 129, currency: 'EUR', transaction_id: 'A-1001' })
 */
export function googleAds<C extends AnyContract = RegisteredContract>(options: GoogleAdsOptions<C>): Destination {
  const conversions = options.conversions as Record<string, string | AdsConversion<AnyContract, string>>;
  const tag = googleTag({ ...options, consent: 'ads' });
  const resolve = (envelope: Envelope) => resolveEntry(conversions, envelope.event, 'sendTo');
  return {
    name: 'google-ads',
    consent: 'ads',
    accepts: (envelope) => !!resolve(envelope),
    send(envelope) {
      // The tracker sends only what accepts() took, so the entry is there.
      const { sendTo, params: toParams } = resolve(envelope) as AdsConversion<AnyContract, string>;
      const left: string[] = [];
      const { value, currency } = envelope.payload;
      // Value and currency only, unless the map's params say more; a value in no form Ads reads is left out, named.
      const params = withNumericValue(
        toParams ? { ...toParams(envelope) } : { ...(value !== undefined && { value }), ...(typeof currency === 'string' && { currency }) },
        left,
      ) as AdsConversionParams;
      return tag.event(envelope, 'conversion', {
        send_to: sendTo,
        ...params,
        transaction_id: params.transaction_id || envelope.dedupeKey || envelope.eventId,
      }, left);
    },
    updateConsent: tag.updateConsent,
  };
}
