import type { Envelope } from '../../core/envelope';
import { conversionParams, platformEventName } from './conversion-params';
import { GA4_MAX_BODY_BYTES, GA4_NAME, ga4EventNameProblem, ga4ParamsProblem } from './ga4-limits';
import { platformDestination } from './platform-destination';
import { ForwardError, type RetryPolicy } from '../delivery/post-json';
import type { ForwardContext, ServerDestination } from '../delivery/server-destination';

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
   * under their own name. Every name must be one GA4 takes (at most 40 letters, digits and
   * underscores, starting with a letter, not reserved such as `session_start`): a mapped name is
   * checked here and throws; an unmapped one is checked at send and fails, not retryable.
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
   * GA4's optional `user_id`: your own id of the signed-in customer (at most 256 characters; never an
   * e-mail address or other personal data). Returning undefined sends no `user_id`.
   *
   * @example
   * ga4MeasurementProtocol({ measurementId, apiSecret, userId: (envelope) => envelope.payload.customer_id as string | undefined })
   */
  userId?: (envelope: Envelope) => string | undefined;
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
const MAX_USER_ID_LENGTH = 256;
const RESERVED_PARAM = /^(?:firebase_|ga_|google_|gtag\.)/;
const CONVERSION_KEYS = /^(?:value|currency|transaction_id)$/;
// GA4 joins an event to the visitor's session only with session_id and a positive engagement time;
// 1 ms joins it without adding engagement the visitor did not have.
const ENGAGEMENT_TIME_MSEC = 1;

/** `<32-bit number>.<seconds>` from the event id: stable across retries of the same event. */
function derivedClientId(envelope: Envelope): string {
  const random = parseInt(envelope.eventId.replace(/-/g, '').slice(0, 8), 16) || 1;
  return `${random}.${Math.max(1, Math.floor(envelope.timestamp / 1000))}`;
}

/**
 * The event's params: transaction_id, value, currency, the session (session_id, engagement_time_msec),
 * then its primitive payload fields and `items`, up to GA4's 25 (GA4 does not log the 26th: "Event
 * parameters per event: 25", https://support.google.com/analytics/answer/9267744). Each payload field
 * left out goes in `omitted` with the reason. Strings are never cut: a value GA4 would cut fails the
 * event (see ga4ParamsProblem).
 */
function paramsOf(envelope: Envelope, omitted: string[]): Record<string, unknown> {
  const { transactionId, value, currency } = conversionParams(envelope, omitted);
  const sessionId = envelope.identity?.ga_session_id;
  const params: Record<string, unknown> = {
    ...(transactionId !== undefined && { transaction_id: transactionId }),
    ...(value !== undefined && { value }),
    ...(currency !== undefined && { currency }),
    ...(sessionId && { session_id: sessionId }),
    engagement_time_msec: ENGAGEMENT_TIME_MSEC,
  };
  let count = Object.keys(params).length;
  const leaveOut = (key: string, why: string) => omitted.push(`${key}: ${why}, left out`);
  for (const [key, field] of Object.entries(envelope.payload)) {
    // value, currency and the transaction id come from conversionParams (which names them when
    // invalid); session_id and engagement_time_msec are the kit's own, from the GA4 session.
    if (field === undefined || CONVERSION_KEYS.test(key)) continue;
    if (key === 'session_id' || key === 'engagement_time_msec') leaveOut(key, "the kit sets it from the visitor's GA4 session (identity.ga_session_id)");
    else if (Object.hasOwn(params, key)) continue;
    else if (!GA4_NAME.test(key)) leaveOut(key, 'not a GA4 parameter name (letters, digits and underscores, starting with a letter)');
    else if (RESERVED_PARAM.test(key)) leaveOut(key, 'a prefix GA4 reserves (ga_, google_, firebase_)');
    else if (
      !(typeof field === 'string' || (typeof field === 'number' && Number.isFinite(field)) || typeof field === 'boolean' || (key === 'items' && Array.isArray(field)))
    ) {
      leaveOut(key, 'not a string, number or boolean');
    } else if (count >= MAX_PARAMS) leaveOut(key, `GA4 takes ${MAX_PARAMS} parameters per event`);
    else {
      params[key] = field;
      count++;
    }
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
 * `timestamp_micros` and `events: [{ name, params: { transaction_id, value, currency, session_id,
 * engagement_time_msec, ... } }]`, plus `consent` when the ads consent is known and `user_id` when
 * `userId` gives one. `session_id` is the envelope's `identity.ga_session_id` (read by the beacon
 * from the `_ga_<container>` cookie). GA4 answers 2xx to events it then drops, so its limits are
 * checked first: an event it would drop or cut (an invalid or reserved name, a value over 100
 * characters, more than 200 items, a body over 130 kB) fails, not retryable, with the reason. Events
 * more than 72 hours old are not sent (GA4 would drop them); timestamps ahead of the server clock are
 * sent as now. A payload field GA4 would drop without a word (past its 25 parameters per event, a
 * name it does not take, a nested object, a `value` that is not a number) is left out and named in
 * the delivered outcome's `omitted` and an `onError` call (reason `data_omitted`).
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
  for (const [event, ga4Name] of Object.entries(options.events ?? {})) {
    const problem = ga4EventNameProblem(ga4Name);
    if (problem) throw new TypeError(`[conversion-kit] ga4MeasurementProtocol events.${event}: ${problem}`);
  }
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
    body(envelope, context, time, omitted) {
      let clientId = envelope.identity?.ga_client_id;
      if (!clientId) {
        if (options.missingClientId === 'fail') {
          throw new ForwardError(`${name} did not send ${envelope.event}: it has no GA client id (identity.ga_client_id)`, false);
        }
        clientId = derivedClientId(envelope);
      }
      const refuse = (reason: string) => new ForwardError(`${name} did not send ${envelope.event}: ${reason}`, false);
      const eventName = platformEventName(options.events, envelope.event);
      const params = paramsOf(envelope, omitted);
      const problem = ga4EventNameProblem(eventName) ?? ga4ParamsProblem(params);
      if (problem) throw refuse(problem);
      const userId = options.userId?.(envelope);
      if (userId !== undefined && (typeof userId !== 'string' || userId.length > MAX_USER_ID_LENGTH)) {
        throw refuse(`user_id must be a string of at most ${MAX_USER_ID_LENGTH} characters`);
      }
      const consent = consentOf(context);
      const body = {
        client_id: clientId,
        ...(userId && { user_id: userId }),
        timestamp_micros: time * 1000,
        ...(consent && { consent }),
        events: [{ name: eventName, params }],
      };
      const bytes = new TextEncoder().encode(JSON.stringify(body)).length;
      if (bytes >= GA4_MAX_BODY_BYTES) throw refuse(`its request body is ${bytes} bytes, GA4 takes less than 130 kB`);
      return body;
    },
  });
}
