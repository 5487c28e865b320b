import type { CampaignContext } from '../core/campaign';
import type { ConsentState } from '../core/consent';
import type { AnyContract, EventName, PayloadInput } from '../core/contract';
import type { Envelope, EnvelopeIdentity } from '../core/envelope';
import { describeIssues, TrackingError } from '../core/errors';
import { randomEventId } from '../core/event-id';
import type { StandardSchemaV1 } from '../core/standard-schema';
import { validateEvent } from '../core/validation';
import { serverEventIdFor } from './delivery/event-id';
import { createForwarder, type DestinationOutcome, type ForwardOptions } from './delivery/forward';
import type { ClientInfo, UserData } from './delivery/server-destination';
import { RELEASE_PATTERN } from './collector/parse-envelope';
import { createCounting, type StatsOptions } from './stats/collector-stats';

/**
 * Options of {@link createServerTracker}; `store` and `destinations` as the collector's.
 *
 * @example
 * { contract, store: redisDedupeStore(redis), destinations: [metaConversionsApi({ pixelId, accessToken, siteUrl: 'https://shop.example' })] }
 */
export interface ServerTrackerOptions<C extends AnyContract> extends ForwardOptions, StatsOptions {
  /**
   * The same contract the browser and the collector use.
   *
   * @example
   * createServerTracker({ contract, store, destinations })
   */
  contract: C;
  /**
   * The build or version of this backend, sent as the envelope's `release` and counted apart, like
   * the browser tracker's. At most 64 characters of `A-Z a-z 0-9 . _ + -`. Default none.
   *
   * @example
   * createServerTracker({ contract, store, destinations, release: process.env.RELEASE })
   */
  release?: string;
}

/**
 * Options of one server `track` call. Everything the browser would know, the server passes itself.
 *
 * @example
 * { clientId: order.gaClientId, identity: { fbp: order.fbp }, campaign: order.campaign, userData: { email: order.email } }
 */
export interface ServerTrackOptions {
  /**
   * Overrides the contract's `dedupeBy` field, like the browser tracker's option.
   *
   * @example
   * serverTracker.track('lead_submitted', { form_id: 'demo' }, { dedupeKey: crmLead.id })
   */
  dedupeKey?: string | number;
  /**
   * An explicit UUID, for events without a dedup key (the id the browser sent with the same event).
   * With a dedup key it must be `eventIdFor(event, key)`, in any case.
   *
   * @example
   * serverTracker.track('newsletter_signup', { form_id: 'footer' }, { eventId: request.body.eventId })
   */
  eventId?: string;
  /**
   * The visitor's GA4 client id (kept with the order at checkout), for GA4 MP.
   *
   * @example
   * { clientId: order.gaClientId } // '468604437.1611708469', from the _ga cookie
   */
  clientId?: string;
  /**
   * Meta's `fbp` / `fbc` (kept with the order), a GA client id and GA4's session (`ga_session_id`,
   * `ga_session_number`, from the `_ga_<container id>` cookie), as the beacon would send them. GA4 MP
   * sends `ga_session_id` as `session_id`, which joins the event to the visitor's session.
   *
   * @example
   * { identity: { fbp: order.fbp, fbc: order.fbc, ga_session_id: order.gaSessionId } }
   */
  identity?: EnvelopeIdentity;
  /**
   * The campaign context kept with the order (the browser tracker's `getCampaign()` at checkout).
   *
   * @example
   * { campaign: order.campaign }
   */
  campaign?: CampaignContext;
  /**
   * Plain-text user data for matching; hashed by the destinations that need it.
   *
   * @example
   * { userData: { email: order.email, phone: order.phone, country: 'DE' } }
   */
  userData?: UserData;
  /**
   * The visitor's IP and user agent, if you kept them and may share them. Meta requires the user agent
   * for website events.
   *
   * @example
   * { client: { userAgent: order.userAgent, ipAddress: order.ipAddress } }
   */
  client?: ClientInfo;
  /**
   * Consent known for this customer; unknown categories hold nothing back.
   *
   * @example
   * { consent: { ads: order.adsConsent ? 'granted' : 'denied' } }
   */
  consent?: Partial<ConsentState>;
  /**
   * When it happened, in epoch ms (the payment time). Default now.
   *
   * @example
   * { timestamp: Date.parse(payment.created_at) }
   */
  timestamp?: number;
  /**
   * The page the outcome belongs to (for Meta's `event_source_url`). Default none: the site root.
   *
   * @example
   * { page: { path: '/checkout/thank-you' } }
   */
  page?: { path: string; referrer?: string };
}

/**
 * What a server `track` did, the first that applies: `invalid` (the contract refused it; `issues` says
 * why), `failed` (some destination failed: call again later, only the failed ones get it), `pending`
 * (another report of it, the browser's through the collector, is being delivered right now: call again
 * later to be sure; it is then a duplicate, or delivered if that delivery failed), `sent` (some
 * destination took it as new; others may have had it or been skipped), `duplicate` (already forwarded,
 * by the browser through the collector or an earlier call), `skipped` (consent kept it from every
 * destination: nothing was sent). `destinations` gives each destination's outcome.
 *
 * @example
 * { status: 'duplicate', eventId: 'cef43733-…', destinations: [{ destination: 'meta-conversions-api', status: 'duplicate' }] }
 */
export interface ServerTrackResult {
  readonly status: 'sent' | 'duplicate' | 'pending' | 'skipped' | 'invalid' | 'failed';
  readonly eventId: string;
  readonly issues?: readonly StandardSchemaV1.Issue[];
  readonly destinations: readonly DestinationOutcome[];
}

/**
 * The server tracker. See {@link createServerTracker}.
 *
 * @example
 * const { status } = await serverTracker.track('lead_submitted', { form_id: 'demo', lead_id: lead.id }, { dedupeKey: lead.id });
 */
export interface ServerTracker<C extends AnyContract = AnyContract> {
  readonly contract: C;
  /** Validates, dedups and forwards one backend-confirmed event. Never throws. */
  track<E extends EventName<C>>(event: E, payload: PayloadInput<C, E>, options?: ServerTrackOptions): Promise<ServerTrackResult>;
}

/**
 * Creates the server tracker, for outcomes only the backend can confirm (a payment webhook, a CRM
 * accepting a lead). It derives the same `eventId` as the browser for the same event and dedup key,
 * and shares the collector's dedup store, so an order reported by both is forwarded once.
 *
 * @example
 * const serverTracker = createServerTracker({ contract, store: redisDedupeStore(redis), destinations });
 * // in the payment provider's webhook
 * const result = await serverTracker.track('purchase_completed', { order_id: order.id, value: order.total, currency: 'EUR' }, {
 *   clientId: order.gaClientId,
 *   userData: { email: order.email },
 * });
 * if (result.status === 'failed' || result.status === 'pending') return new Response('retry later', { status: 503 }); // the provider retries
 */
export function createServerTracker<C extends AnyContract>(options: ServerTrackerOptions<C>): ServerTracker<C> {
  const { contract, release } = options;
  if (release !== undefined && release !== '' && !RELEASE_PATTERN.test(release)) {
    throw new TypeError(`[conversion-kit] createServerTracker: release must be 1 to 64 characters of A-Z a-z 0-9 . _ + -, received ${JSON.stringify(release)}`);
  }
  const forwarder = createForwarder(options);
  const counting = createCounting({ ...options, source: 'server' });
  const report = (error: TrackingError) => {
    try {
      options.onError?.(error);
    } catch {
      // The app's error callback failed; tracking goes on.
    }
  };

  const invalid = (event: string, issues: readonly StandardSchemaV1.Issue[], reason: 'invalid_payload' | 'unknown_event', eventId: string): ServerTrackResult => {
    report(new TrackingError(`${event} was not sent: ${describeIssues(event, issues)}`, reason, event, issues));
    counting?.tracked({ event, status: 'invalid', reason, issues: issues.map((issue) => describeIssues(event, [issue])) });
    return { status: 'invalid', eventId, issues, destinations: [] };
  };

  const track = async (event: string, payload: unknown, trackOptions: ServerTrackOptions = {}): Promise<ServerTrackResult> => {
    const checked = validateEvent(contract, event, payload, { dedupeKey: trackOptions.dedupeKey, eventId: trackOptions.eventId }, serverEventIdFor);
    if (!checked.ok) return invalid(event, checked.issues, checked.reason, randomEventId());
    const timestamp = trackOptions.timestamp ?? Date.now();
    if (!Number.isFinite(timestamp) || timestamp <= 0) {
      return invalid(event, [{ message: 'expected epoch milliseconds', path: ['timestamp'] }], 'invalid_payload', checked.eventId);
    }
    const identity: EnvelopeIdentity = {
      ...trackOptions.identity,
      ...(trackOptions.clientId && { ga_client_id: trackOptions.clientId }),
    };
    const envelope: Envelope = {
      event,
      eventId: checked.eventId,
      dedupeKey: checked.dedupeKey,
      conversion: checked.definition.conversion === true,
      timestamp,
      payload: checked.payload,
      campaign: trackOptions.campaign ?? { first: null, last: null },
      page: { path: trackOptions.page?.path ?? '', referrer: trackOptions.page?.referrer ?? '' },
      source: 'server',
      ...(Object.keys(identity).length > 0 && { identity }),
      ...(release && { release }),
    };
    const forwarded = await forwarder.forward(envelope, {
      ...(trackOptions.userData && { userData: trackOptions.userData }),
      ...(trackOptions.client && { client: trackOptions.client }),
      ...(trackOptions.consent && { consent: trackOptions.consent }),
    });
    counting?.tracked({ event, status: forwarded.status, envelope, report: forwarded, ...(trackOptions.userData && { userData: trackOptions.userData }) });
    return { status: forwarded.status, eventId: envelope.eventId, destinations: forwarded.destinations };
  };

  return {
    contract,
    async track(event, payload, trackOptions) {
      try {
        return await track(event, payload, trackOptions);
      } catch (error) {
        // Only a bug gets here (the forwarder catches destination and store failures).
        const eventId = randomEventId();
        report(new TrackingError(`${event} was not sent: ${String(error)}`, 'destination_failed', event, [], undefined, error));
        return { status: 'failed', eventId, destinations: [] };
      }
    },
  };
}
