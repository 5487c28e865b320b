import type { AnyContract, EventName } from '../core/contract';
import type { Destination } from '../core/destination';
import { withNumericValue } from '../core/numeric-value';
import type { Envelope, EnvelopeOf } from '../core/envelope';
import type { RegisteredContract } from '../react/register';
import { resolveEntry, type EnvelopeFor } from './event-map';
import { rememberFbc } from './fbc';
import { globalFunction, platformQueue, type WaitOptions } from './platform-queue';
import { sendWithUserData, type HashedUserData } from './user-data';

/**
 * The `fbq()` function of Meta's pixel base code.
 *
 * @example
 * const fbq = (window as unknown as { fbq?: Fbq }).fbq;
 */
export type Fbq = (...args: unknown[]) => void;

/**
 * One Meta event of the map: its name and, optionally, its parameters (default: the payload).
 *
 * @example
 * { name: 'Purchase', params: ({ payload }) => ({ value: payload.value, currency: payload.currency, content_type: 'product' }) }
 */
export interface MetaEvent<C extends AnyContract, E extends EventName<C>> {
  /**
   * The Meta event name: a standard event goes with `track`, any other with `trackCustom`.
   *
   * @example
   * name: 'Purchase'
   */
  name: string;
  /**
   * Builds the event's custom data from the typed envelope; default: the payload as it is.
   *
   * @example
   * params: ({ payload }) => ({ value: payload.value, currency: payload.currency, content_type: 'product' })
   */
  params?: (envelope: EnvelopeFor<C, E>) => Record<string, unknown>;
}

/**
 * Options of {@link metaPixel}.
 *
 * @example
 * metaPixel({ events: { purchase_completed: 'Purchase' }, pixelId: '1234567890', userData: () => hashed })
 */
export interface MetaPixelOptions<C extends AnyContract = RegisteredContract> extends WaitOptions {
  /**
   * Meta event names for contract events: a standard event (`Purchase`, `Lead`, ...) is sent with
   * `track`, any other name with `trackCustom`. Only these events go to Meta.
   *
   * @example
   * { purchase_completed: 'Purchase', lead_submitted: 'Lead', newsletter_signup: 'NewsletterSignup' }
   */
  events: { readonly [E in EventName<C>]?: string | MetaEvent<C, E> };
  /**
   * The pixel id; needed only to send `userData` (advanced matching goes through `fbq('init', id, data)`).
   *
   * @example
   * pixelId: '1234567890'
   */
  pixelId?: string;
  /**
   * Hashed user data for advanced matching (the `meta` part of {@link hashUserData}), sent with
   * `fbq('init', pixelId, data)` when it changes. Refused (unhashed) data or a throwing function
   * never loses the event: it is tracked without advanced matching, then the send is reported as
   * failed (a `failed` record and `onError`, naming the field).
   *
   * @example
   * userData: () => hashedCustomer
   */
  userData?: (envelope: EnvelopeOf<C>) => HashedUserData | null | undefined;
  /**
   * Writes the campaign's click id to the `_fbc` cookie when the pixel has none or an older one for
   * another click (one for the same fbclid is kept), so a pixel that loaded after the landing page
   * (after consent) still attributes the click; on the
   * widest domain the browser accepts, as the pixel does, and only in Meta's format. Default `true`.
   *
   * @example
   * fbcCookie: false // the pixel loads on every page before any event: it sets _fbc itself
   */
  fbcCookie?: boolean;
  /**
   * Forward the tracker's `ads` decisions to the pixel's consent API, which pauses or resumes the
   * pixel's own fires (its `PageView` too): granted -> `fbq('consent', 'grant')`, denied ->
   * `fbq('consent', 'revoke')`, each once. Default `true`; `false` when your consent platform calls
   * `fbq('consent', ...)` itself.
   *
   * @example
   * consentMode: false
   */
  consentMode?: boolean;
}

// Meta's standard events (sent with `track`); one string, split when used, is the smallest form.
const STANDARD_EVENTS =
  'AddPaymentInfo AddToCart AddToWishlist CompleteRegistration Contact CustomizeProduct Donate FindLocation ' +
  'InitiateCheckout Lead PageView Purchase Schedule Search StartTrial SubmitApplication Subscribe ViewContent';

/**
 * Meta Pixel: `fbq('track', 'Purchase', params, { eventID })` (`trackCustom` for custom names), with
 * the envelope's `eventId` so the Conversions API event your server sends with the same `event_id` is
 * deduplicated against it. Consent category `ads`: the tracker holds and drops events by it, and
 * forwards its decisions to the pixel as `fbq('consent', 'grant' | 'revoke')`, Meta's API to "pause
 * sending Pixel fires" until consent is granted (Meta Pixel "General Data Protection Regulation"
 * guide). Meta asks the page's base code to call `fbq('consent', 'revoke')` before `init` on every
 * page; this destination only sends the visitor's decisions.
 *
 * @example
 * metaPixel({ events: { purchase_completed: 'Purchase', lead_submitted: 'Lead' } })
 * // fbq('track', 'Purchase', { order_id: 'A-1001', value: 129, currency: 'EUR' }, { eventID: '…' })
 */
export function metaPixel<C extends AnyContract = RegisteredContract>(options: MetaPixelOptions<C>): Destination {
  const { pixelId, userData, fbcCookie = true, consentMode = true } = options;
  if (userData && !pixelId) throw new Error('[conversion-kit] metaPixel({ userData }) needs pixelId');
  const events = options.events as Record<string, string | MetaEvent<AnyContract, string>>;
  const fbqGlobal = globalFunction<Fbq & { queue?: unknown; callMethod?: unknown }>('fbq');
  // The base code's stub queues calls (`fbq.queue`) until fbevents.js loads and sets `callMethod`:
  // behind it, with the script blocked, nothing would reach Meta. Wait for the loaded pixel.
  const call = platformQueue<Fbq>('fbq', () => {
    const fbq = fbqGlobal();
    return fbq && (fbq.callMethod || !fbq.queue) ? fbq : undefined;
  }, options.waitMs);
  const resolve = (envelope: Envelope) => resolveEntry(events, envelope.event, 'name');
  let matched = '';
  let told: string | undefined; // the decision the pixel took
  let wanted: string | undefined; // the latest decision
  return {
    name: 'meta-pixel',
    consent: 'ads',
    accepts: (envelope) => !!resolve(envelope),
    send(envelope) {
      // The tracker sends only what accepts() took, so the entry is there.
      const { name, params: toParams } = resolve(envelope) as MetaEvent<AnyContract, string>;
      const left: string[] = [];
      const params = withNumericValue({ ...(toParams ? toParams(envelope) : envelope.payload) }, left);
      if (fbcCookie) rememberFbc(envelope.campaign);
      return sendWithUserData(
        () => userData?.(envelope as EnvelopeOf<C>),
        'meta',
        (user) =>
          call((fbq) => {
            // Advanced matching again only when the data changed.
            if (user && matched !== (matched = JSON.stringify(user))) fbq('init', pixelId, user);
            fbq(STANDARD_EVENTS.split(' ').includes(name) ? 'track' : 'trackCustom', name, params, { eventID: envelope.eventId });
          }, envelope.conversion),
        undefined,
        left,
      );
    },
    updateConsent({ ads }) {
      // A denial cancels what waits for the pixel to load.
      if (ads === 'denied') call.cancel('not loaded before ads consent was denied');
      // Each ads decision once (the tracker reports analytics changes too); pending tells nothing.
      // Kept until the pixel loads, then the latest decision goes; told only once the pixel took it.
      if (consentMode && ads !== wanted && (wanted = ads) !== 'pending') {
        call((fbq) => {
          if (wanted !== told) fbq('consent', wanted === 'granted' ? 'grant' : 'revoke'), (told = wanted);
        }, 'consent')?.catch(() => {});
      }
    },
  };
}
