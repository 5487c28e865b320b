import type { CampaignContext } from '../core/campaign';
import type { AnyContract, EventName } from '../core/contract';
import type { Destination } from '../core/destination';
import type { Envelope } from '../core/envelope';
import type { RegisteredContract } from '../react/register';
import { resolveEntry, type EnvelopeFor } from './event-map';
import { platformQueue, type WaitOptions } from './platform-queue';

/**
 * The slice of Segment's analytics.js (the snippet's stub, `AnalyticsBrowser`) the destination uses.
 *
 * @example
 * const analytics: SegmentAnalytics = AnalyticsBrowser.load({ writeKey });
 */
export interface SegmentAnalytics {
  track(event: string, properties?: object, options?: object): unknown;
  addSourceMiddleware?(middleware: SegmentSourceMiddleware): unknown;
}

/**
 * The event a Segment source middleware sees (`payload.obj` is the raw event).
 *
 * @example
 * ({ payload, next }) => next(payload)
 */
export interface SegmentMiddlewarePayload {
  obj: { messageId?: string; context?: { messageId?: unknown } };
}

/**
 * A Segment source middleware, as `analytics.addSourceMiddleware` takes it.
 *
 * @example
 * const keep: SegmentSourceMiddleware = ({ payload, next }) => next(payload);
 */
export type SegmentSourceMiddleware = (context: {
  payload: SegmentMiddlewarePayload;
  next: (payload: SegmentMiddlewarePayload | null) => void;
}) => void;

/**
 * One Segment event of the map: its name and, optionally, its properties (default: the payload).
 *
 * @example
 * { name: 'Order Completed', properties: ({ payload }) => ({ order_id: payload.order_id, revenue: payload.value, currency: payload.currency }) }
 */
export interface SegmentEvent<C extends AnyContract, E extends EventName<C>> {
  /**
   * The Segment event name (Segment's spec names, such as `Order Completed`).
   *
   * @example
   * name: 'Order Completed'
   */
  name: string;
  /**
   * Builds the event properties from the typed envelope; default: a copy of the payload.
   *
   * @example
   * properties: ({ payload }) => ({ order_id: payload.order_id, revenue: payload.value })
   */
  properties?: (envelope: EnvelopeFor<C, E>) => Record<string, unknown>;
}

/**
 * Options of {@link segment}.
 *
 * @example
 * segment({ analytics: AnalyticsBrowser.load({ writeKey }), events: { purchase_completed: 'Order Completed' } })
 */
export interface SegmentOptions<C extends AnyContract = RegisteredContract> extends WaitOptions {
  /**
   * The analytics instance (`AnalyticsBrowser.load(...)`), or a getter; default `window.analytics`
   * (the snippet, waited for when it is not there yet).
   *
   * @example
   * analytics: () => window.analytics
   */
  analytics?: SegmentAnalytics | (() => SegmentAnalytics | undefined);
  /**
   * Segment event names for contract events (Segment's spec: `Order Completed`); events left out keep
   * their contract name; `false` keeps one out.
   *
   * @example
   * events: { purchase_completed: 'Order Completed', cta_clicked: false }
   */
  events?: { readonly [E in EventName<C>]?: string | false | SegmentEvent<C, E> };
  /**
   * Make Segment's `messageId` the envelope's `eventId`, so the same order reported by the browser and
   * by your server (analytics-node honours `messageId`) is deduplicated by Segment. The browser library
   * ignores `options.messageId` (it files it under `context.messageId` and generates its own), so a
   * source middleware copies it back. Default `true`; `false` leaves Segment's own ids alone.
   *
   * @example
   * messageId: false
   */
  messageId?: boolean;
}

const withMiddleware = /* @__PURE__ */ new WeakSet<object>();

/**
 * A Segment source middleware that copies `context.messageId` (where analytics.js files
 * `options.messageId`) to the event's `messageId`. The segment destination adds it itself; add it
 * yourself only to cover calls made before the destination's first event.
 *
 * @example
 * analytics.addSourceMiddleware(promoteMessageId);
 */
export const promoteMessageId: SegmentSourceMiddleware = ({ payload, next }) => {
  const id = payload.obj.context?.messageId;
  if (typeof id === 'string' && id) payload.obj.messageId = id;
  next(payload);
};

/** The last touch in Segment's `context.campaign` shape (`utm_campaign` -> `name`, ...); `undefined` without UTMs. */
export function segmentCampaign(campaign: CampaignContext): Record<string, string> | undefined {
  const touch = campaign.last;
  if (!touch) return undefined;
  const fields = { name: touch.utm_campaign, source: touch.utm_source, medium: touch.utm_medium, term: touch.utm_term, content: touch.utm_content };
  const present = Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return present.length > 0 ? Object.fromEntries(present) : undefined;
}

/**
 * Segment: `analytics.track(event, properties, { messageId: eventId, context: { campaign } })`, the
 * campaign being the last touch in Segment's `context.campaign` shape. Consent category `analytics`.
 *
 * @example
 * segment({ events: { purchase_completed: 'Order Completed' } })
 * // analytics.track('Order Completed', { order_id: 'A-1001', value: 129, currency: 'EUR' },
 * //   { messageId: '…', context: { campaign: { source: 'google', medium: 'cpc', name: 'spring' } } })
 */
export function segment<C extends AnyContract = RegisteredContract>(options: SegmentOptions<C> = {}): Destination {
  const { analytics, messageId = true } = options;
  const events = options.events as Record<string, string | false | SegmentEvent<AnyContract, string>> | undefined;
  const find = (): SegmentAnalytics | undefined => {
    const instance = typeof analytics === 'function' ? analytics() : (analytics ?? (globalThis as { analytics?: SegmentAnalytics }).analytics);
    return instance && typeof instance.track === 'function' ? instance : undefined;
  };
  const call = platformQueue<SegmentAnalytics>('analytics', find, options.waitMs);
  const resolve = (envelope: Envelope) => resolveEntry(events, envelope.event, 'name', envelope.event);
  return {
    name: 'segment',
    consent: 'analytics',
    accepts: (envelope) => !!resolve(envelope),
    send(envelope) {
      const { name, properties } = resolve(envelope) as SegmentEvent<AnyContract, string>;
      const campaign = segmentCampaign(envelope.campaign);
      // A fresh context object per call: analytics.js writes into the one it is given.
      const trackOptions = { messageId: envelope.eventId, ...(campaign && { context: { campaign } }) };
      const props = properties ? properties(envelope) : { ...envelope.payload };
      return call((instance) => {
        if (messageId && typeof instance.addSourceMiddleware === 'function' && !withMiddleware.has(instance)) {
          withMiddleware.add(instance);
          try {
            // analytics-next returns a promise; the classic library throws once initialised.
            Promise.resolve(instance.addSourceMiddleware(promoteMessageId)).catch(() => {});
          } catch {
            // Without the middleware the id still travels as context.messageId.
          }
        }
        instance.track(name, props, trackOptions);
      }, envelope.conversion);
    },
  };
}
