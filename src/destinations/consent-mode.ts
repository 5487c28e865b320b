import type { ConsentState } from '../core/consent';

type Gtag = (...args: unknown[]) => void;
type Decision = 'granted' | 'denied';

const lastSent = /* @__PURE__ */ new WeakMap<Gtag, string>();

/**
 * The Consent Mode v2 update for a consent state: `analytics` -> `analytics_storage`; `ads` ->
 * `ad_storage`, `ad_user_data`, `ad_personalization`. Pending categories are left out (the page's
 * `gtag('consent', 'default', ...)` stands); `undefined` when nothing is decided.
 */
export function consentModeUpdate(state: ConsentState): Record<string, Decision> | undefined {
  const update: Record<string, Decision> = {};
  const decided = (value: string): value is Decision => value === 'granted' || value === 'denied';
  if (decided(state.analytics)) update.analytics_storage = state.analytics;
  if (decided(state.ads)) update.ad_storage = update.ad_user_data = update.ad_personalization = state.ads;
  return Object.keys(update).length > 0 ? update : undefined;
}

/**
 * Sends `gtag('consent', 'update', ...)` unless this same gtag was already told exactly this, so the
 * gtag and googleAds destinations together send each decision once.
 */
export function sendConsentUpdate(gtag: Gtag, update: Record<string, Decision>): void {
  const key = JSON.stringify(update);
  if (lastSent.get(gtag) === key) return;
  gtag('consent', 'update', update);
  lastSent.set(gtag, key); // only once gtag took it
}
