import type { Envelope } from '../../core/envelope';
import { conversionParams, platformEventName } from './conversion-params';
import { metaUserData } from './meta-user-data';
import { platformDestination } from './platform-destination';
import type { RetryPolicy } from '../delivery/post-json';
import type { ForwardContext, ServerDestination } from '../delivery/server-destination';

/**
 * Options of {@link metaConversionsApi}, plus the {@link RetryPolicy} options.
 *
 * @example
 * { pixelId: '1234567890', accessToken: process.env.META_CAPI_TOKEN!, siteUrl: 'https://shop.example', events: { purchase_completed: 'Purchase' } }
 */
export interface MetaConversionsApiOptions extends RetryPolicy {
  /**
   * The Meta Pixel (dataset) id: the same id the browser's pixel is initialised with.
   *
   * @example
   * metaConversionsApi({ pixelId: '1234567890', accessToken, siteUrl })
   */
  pixelId: string;
  /**
   * A Conversions API access token (Events Manager > Settings > Generate access token). Keep it on the
   * server; it never appears in error messages.
   *
   * @example
   * metaConversionsApi({ pixelId, accessToken: process.env.META_CAPI_TOKEN!, siteUrl })
   */
  accessToken: string;
  /**
   * The Graph API origin. Default `https://graph.facebook.com`.
   *
   * @example
   * metaConversionsApi({ pixelId, accessToken, siteUrl, endpoint: 'http://127.0.0.1:9999' }) // a local stand-in
   */
  endpoint?: string;
  /**
   * The Graph API version. Default `'v25.0'`; pin the one you tested with.
   *
   * @example
   * metaConversionsApi({ pixelId, accessToken, siteUrl, apiVersion: 'v24.0' })
   */
  apiVersion?: string;
  /**
   * Sends to Events Manager's Test Events tab instead of production.
   *
   * @example
   * metaConversionsApi({ pixelId, accessToken, siteUrl, testEventCode: 'TEST12345' })
   */
  testEventCode?: string;
  /**
   * Meta names of contract events, like the browser `metaPixel` destination's map. Unmapped events are
   * sent under their own name (as custom events).
   *
   * @example
   * { purchase_completed: 'Purchase', lead_submitted: 'Lead' }
   */
  events?: Readonly<Record<string, string>>;
  /**
   * Your site's origin, for `event_source_url`, which Meta requires for website events: the origin
   * followed by the envelope's page path, or by `/` when the event has no page (a webhook) or a path
   * that would leave the origin (`//other.example/...`). Only the origin of `siteUrl` is used.
   *
   * @example
   * metaConversionsApi({ pixelId, accessToken, siteUrl: 'https://shop.example' })
   */
  siteUrl: string;
  /**
   * The destination's name in results and dedup keys. Default `'meta-conversions-api'`; give two
   * pixels different names.
   *
   * @example
   * metaConversionsApi({ pixelId: '222', accessToken, siteUrl, name: 'meta-brand-b' })
   */
  name?: string;
}

// Meta fails the whole request for an event_time over 7 days old; keep a margin for transit and clocks.
const MAX_AGE_MS = (7 * 24 * 60 - 10) * 60 * 1000;
const CUSTOM_DATA_FIELDS = [
  'content_ids', 'contents', 'content_type', 'content_name', 'content_category', 'num_items',
  'predicted_ltv', 'search_string', 'status',
] as const;

// Graph API error codes Meta documents as temporary (unknown, service, rate limits, throttling).
const TRANSIENT_CODES = new Set([1, 2, 4, 17, 32, 341, 613]);

/** A Graph API error worth retrying: `is_transient: true`, or a temporary code unless Meta says otherwise. */
function isTransient(_status: number, body: string): boolean {
  let error: { code?: unknown; is_transient?: unknown } | undefined;
  try {
    error = (JSON.parse(body) as { error?: typeof error })?.error;
  } catch {
    return false;
  }
  if (typeof error?.is_transient === 'boolean') return error.is_transient;
  return typeof error?.code === 'number' && TRANSIENT_CODES.has(error.code);
}

/** The site origin of `siteUrl`; a programmer error throws, naming the fix. */
function siteOrigin(siteUrl: unknown): string {
  let origin: string | undefined;
  try {
    const url = new URL(String(siteUrl));
    if (url.protocol === 'https:' || url.protocol === 'http:') origin = url.origin;
  } catch {
    origin = undefined;
  }
  if (!origin) {
    throw new TypeError(
      `[conversion-kit] metaConversionsApi needs \`siteUrl\`, your site's origin such as 'https://shop.example' (received ${JSON.stringify(siteUrl)}): Meta requires event_source_url for website events`,
    );
  }
  return origin;
}

/** `origin` + the page path, when the path is a plain path on that origin; else the site root. */
function sourceUrl(envelope: Envelope, origin: string): string {
  const path = envelope.page.path;
  // '//host/...' and '/\\host/...' are protocol-relative URLs to another host, not paths.
  if (/^\/(?![/\\])/.test(path)) {
    try {
      const url = new URL(path, origin);
      if (url.origin === origin) return url.href;
    } catch {
      // Not a URL path: the site root below.
    }
  }
  return `${origin}/`;
}

async function userDataOf(envelope: Envelope, context: ForwardContext, omitted: string[]): Promise<Record<string, unknown>> {
  const fbc = envelope.identity?.fbc ?? envelope.campaign.last?.fbc ?? envelope.campaign.first?.fbc;
  const fbp = envelope.identity?.fbp;
  const { ipAddress, userAgent } = context.client ?? {};
  // Hashed contact fields; click and browser ids, IP and user agent are sent as they are (Meta's rules).
  return {
    ...(await metaUserData(context.userData, omitted)),
    ...(fbc && { fbc }),
    ...(fbp && { fbp }),
    ...(ipAddress && { client_ip_address: ipAddress }),
    ...(userAgent && { client_user_agent: userAgent }),
  };
}

function customDataOf(envelope: Envelope, omitted: string[]): Record<string, unknown> | undefined {
  const { value, currency, transactionId } = conversionParams(envelope, omitted);
  const data: Record<string, unknown> = {
    ...(value !== undefined && { value }),
    ...(currency !== undefined && { currency }),
    ...(transactionId !== undefined && { order_id: transactionId }),
  };
  for (const field of CUSTOM_DATA_FIELDS) {
    if (envelope.payload[field] !== undefined) data[field] = envelope.payload[field];
  }
  return Object.keys(data).length > 0 ? data : undefined;
}

/**
 * Sends events to the Meta Conversions API, one request per event:
 * `data: [{ event_name, event_time, event_id, action_source: 'website', event_source_url, user_data,
 * custom_data }]`. `event_id` is the envelope's `eventId`, the `eventID` the browser's Meta Pixel call
 * carries, so Meta deduplicates pixel and server events. User data is hashed per Meta's normalisation;
 * `fbc`, `fbp`, IP and user agent are not. A match key that cannot be put in Meta's form (an e-mail
 * without `@`, a phone without its country code), or a `value` that is not a number, is left out and
 * named in the delivered outcome's `omitted` and an `onError` call (reason `data_omitted`). Events older than 7 days are not sent (Meta would reject the
 * whole request); timestamps ahead of the server clock are sent as now.
 *
 * @example
 * metaConversionsApi({
 *   pixelId: '1234567890',
 *   accessToken: process.env.META_CAPI_TOKEN!,
 *   events: { purchase_completed: 'Purchase' },
 *   siteUrl: 'https://shop.example',
 * })
 */
export function metaConversionsApi(options: MetaConversionsApiOptions): ServerDestination {
  const name = options.name ?? 'meta-conversions-api';
  const base = (options.endpoint ?? 'https://graph.facebook.com').replace(/\/+$/, '');
  const url = new URL(`${base}/${options.apiVersion ?? 'v25.0'}/${encodeURIComponent(options.pixelId)}/events`);
  url.searchParams.set('access_token', options.accessToken);
  const origin = siteOrigin(options.siteUrl);
  return platformDestination({
    name,
    consent: 'ads',
    // Meta requires client_user_agent for website events.
    requiresClientInfo: ['userAgent'],
    url: url.href,
    maxAgeMs: MAX_AGE_MS,
    tooOld: 'its event_time is more than 7 days old, Meta would reject it',
    policy: options,
    transient: isTransient,
    async body(envelope, context, time, omitted) {
      const userData = await userDataOf(envelope, context, omitted);
      const customData = customDataOf(envelope, omitted);
      const event = {
        event_name: platformEventName(options.events, envelope.event),
        event_time: Math.floor(time / 1000),
        event_id: envelope.eventId,
        action_source: 'website',
        event_source_url: sourceUrl(envelope, origin),
        user_data: userData,
        ...(customData && { custom_data: customData }),
      };
      return { data: [event], ...(options.testEventCode && { test_event_code: options.testEventCode }) };
    },
  });
}
