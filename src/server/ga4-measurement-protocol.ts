import type { Envelope } from '../core/envelope';
import { conversionParams, platformEventName } from './conversion-params';
import { platformDestination } from './platform-destination';
import { ForwardError, type RetryPolicy } from './post-json';
import type { ForwardContext, ServerDestination } from './server-destination';

/**
 * Options of {@link ga4MeasurementProtocol}, plus the {@link RetryPolicy} options.
 *
 * @example
 * { measurementId: 'G-XXXXXXXXXX', apiSecret: process.env.GA4_API_SECRET!, events: { purchase_completed: 'purchase' } }
 */
export interface Ga4MeasurementProtocolOptions extends RetryPolicy {
  /**
   * The web stream's measurement id, `G-XXXXXXXXXX` (not the stream id).
   *
   * @example
   * ga4MeasurementProtocol({ measurementId: 'G-XXXXXXXXXX', apiSecret })
   */
  measurementId: string;
  /**
   * A Measurement Protocol API secret of that stream (Admin > Data streams > Measurement Protocol).
   * Keep it on the server; it never appears in error messages.
   *
   * @example
   * ga4MeasurementProtocol({ measurementId, apiSecret: process.env.GA4_API_SECRET! })
   */
  apiSecret: string;
  /**
   * The collect URL. Default `https://www.google-analytics.com/mp/collect`; use
   * `https://region1.google-analytics.com/mp/collect` for EU processing, or `/debug/mp/collect` to
   * validate (GA4 answers 2xx even to malformed payloads everywhere else).
   *
   * @example
   * ga4MeasurementProtocol({ measurementId, apiSecret, endpoint: 'https://region1.google-analytics.com/mp/collect' })
   */
  endpoint?: string;
  /**
   * GA4 names of contract events, like the browser `gtag` destination's map. Unmapped events are sent
   * under their own name.
   *
   * @example
   * { purchase_completed: 'purchase', lead_submitted: 'generate_lead' }
   */
  events?: Readonly<Record<string, string>>;
  /**
   * What to do when the event carries no GA client id (`envelope.identity.ga_client_id`, or the server
   * tracker's `clientId`). `'derive'` (default) sends a client id derived from the event id: the
   * conversion counts, but GA4 cannot join it to the visitor's session and campaign. `'fail'` does not
   * send it and reports a failure, which frees the event for a later report that has a client id.
   *
   * @example
   * ga4MeasurementProtocol({ measurementId, apiSecret, missingClientId: 'fail' })
   */
  missingClientId?: 'derive' | 'fail';
  /**
   * The destination's name in results and dedup keys. Default `'ga4-measurement-protocol'`; give two
   * GA4 properties different names.
   *
   * @example
   * ga4MeasurementProtocol({ measurementId: 'G-EU', apiSecret, name: 'ga4-eu' })
   */
  name?: string;
}

const MAX_AGE_MS = 72 * 60 * 60 * 1000;
const MAX_PARAMS = 25;
const PARAM_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/;
const RESERVED_PARAM = /^(?:firebase_|ga_|google_|gtag\.)/;

/** `<32-bit number>.<seconds>` from the event id: stable across retries of the same event. */
function derivedClientId(envelope: Envelope): string {
  const random = parseInt(envelope.eventId.replace(/-/g, '').slice(0, 8), 16) || 1;
  return `${random}.${Math.max(1, Math.floor(envelope.timestamp / 1000))}`;
}

/** The event's params: its primitive payload fields and `items`, then transaction_id, value, currency. */
function paramsOf(envelope: Envelope): Record<string, unknown> {
  const { transactionId, value, currency } = conversionParams(envelope);
  const params: Record<string, unknown> = {
    ...(transactionId !== undefined && { transaction_id: transactionId }),
    ...(value !== undefined && { value }),
    ...(currency !== undefined && { currency }),
  };
  for (const [key, field] of Object.entries(envelope.payload)) {
    if (Object.hasOwn(params, key) || !PARAM_NAME.test(key) || RESERVED_PARAM.test(key)) continue;
    if (Object.keys(params).length >= MAX_PARAMS) break;
    if (typeof field === 'string') params[key] = field.slice(0, 100);
    else if ((typeof field === 'number' && Number.isFinite(field)) || typeof field === 'boolean') params[key] = field;
    else if (key === 'items' && Array.isArray(field)) params[key] = field;
  }
  return params;
}

/** GA4's `consent` object from the ads consent, when it is known. */
function consentOf(context: ForwardContext) {
  const ads = context.consent?.ads;
  if (ads !== 'granted' && ads !== 'denied') return undefined;
  const value = ads === 'granted' ? 'GRANTED' : 'DENIED';
  return { ad_user_data: value, ad_personalization: value };
}

/**
 * Sends events to GA4 through the Measurement Protocol: one request per event with `client_id`,
 * `timestamp_micros` and `events: [{ name, params: { transaction_id, value, currency, ... } }]`, plus
 * `consent` when the ads consent is known. Events more than 72 hours old are not sent (GA4 would drop
 * them); timestamps ahead of the server clock are sent as now.
 *
 * @example
 * ga4MeasurementProtocol({
 *   measurementId: 'G-XXXXXXXXXX',
 *   apiSecret: process.env.GA4_API_SECRET!,
 *   events: { purchase_completed: 'purchase' },
 * })
 */
export function ga4MeasurementProtocol(options: Ga4MeasurementProtocolOptions): ServerDestination {
  const name = options.name ?? 'ga4-measurement-protocol';
  const url = new URL(options.endpoint ?? 'https://www.google-analytics.com/mp/collect');
  url.searchParams.set('measurement_id', options.measurementId);
  url.searchParams.set('api_secret', options.apiSecret);
  return platformDestination({
    name,
    consent: 'analytics',
    url: url.href,
    maxAgeMs: MAX_AGE_MS,
    tooOld: 'it is more than 72 hours old, GA4 would drop it',
    policy: options,
    body(envelope, context, time) {
      let clientId = envelope.identity?.ga_client_id;
      if (!clientId) {
        if (options.missingClientId === 'fail') {
          throw new ForwardError(`${name} did not send ${envelope.event}: it has no GA client id (identity.ga_client_id)`, false);
        }
        clientId = derivedClientId(envelope);
      }
      const consent = consentOf(context);
      return {
        client_id: clientId,
        timestamp_micros: time * 1000,
        ...(consent && { consent }),
        events: [{ name: platformEventName(options.events, envelope.event), params: paramsOf(envelope) }],
      };
    },
  });
}
