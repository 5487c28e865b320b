import type { ConsentState } from '../core/consent';
import type { Envelope } from '../core/envelope';
import { consentModeUpdate, sendConsentUpdate } from './consent-mode';
import type { Gtag } from './gtag';
import { globalFunction, platformQueue } from './platform-queue';
import { GOOGLE_PLAIN, sendWithUserData, type HashedUserData } from './user-data';

/** What {@link googleTag} needs from the gtag and googleAds options. */
interface GoogleTagOptions {
  readonly consent: 'analytics' | 'ads';
  readonly userData?: (envelope: never) => HashedUserData | null | undefined;
  readonly consentMode?: boolean;
  readonly waitMs?: number;
}

/**
 * The gtag.js side shared by the gtag and googleAds destinations: events (queued until `gtag`
 * exists) with their user data, and Consent Mode updates.
 *
 * User data goes with the one event as its `user_data` parameter, never page-wide with
 * `gtag('set', 'user_data', ...)`, which every later GA4 and Ads hit would carry. Google documents
 * `user_data` in an `event`, `config` or `set` command, the event's value winning (GA help "Add a
 * code snippet to your website (gtag.js)", support.google.com/analytics/answer/14171598, and the
 * Google tag's parameter precedence: event > config > set).
 */
export function googleTag(options: GoogleTagOptions) {
  const gtagGlobal = globalFunction<Gtag>('gtag');
  // The snippet's stub only pushes to `dataLayer` until gtag.js loads and takes over
  // `dataLayer.push`: with the script blocked, nothing would reach Google. Wait for gtag.js.
  const call = platformQueue<Gtag>('gtag', () => {
    const layer = (globalThis as { dataLayer?: unknown }).dataLayer;
    return Array.isArray(layer) && layer.push === Array.prototype.push ? undefined : gtagGlobal();
  }, options.waitMs);
  let wanted: Record<string, 'granted' | 'denied'> | undefined; // the latest decision
  return {
    /** `gtag('event', name, params)`, with `user_data` when the option gives valid hashed data; `left`: what the caller left out. */
    event(envelope: Envelope, name: string, params: Record<string, unknown>, left?: string[]) {
      return sendWithUserData(
        () => options.userData?.(envelope as never),
        'google',
        (user) => call((gtag) => gtag('event', name, user ? { ...params, user_data: user } : params), envelope.conversion),
        GOOGLE_PLAIN,
        left,
      );
    },
    /** Forwards a decision to Consent Mode, unless `consentMode: false`. */
    updateConsent(state: ConsentState) {
      // A denial cancels what waits for gtag.js to load.
      if (state[options.consent] === 'denied') call.cancel(`not loaded before ${options.consent} consent was denied`);
      // Kept until gtag.js loads, then the latest decision goes.
      if (options.consentMode !== false && (wanted = consentModeUpdate(state) ?? wanted)) call((gtag) => sendConsentUpdate(gtag, wanted!), 'consent')?.catch(() => {});
    },
  };
}
