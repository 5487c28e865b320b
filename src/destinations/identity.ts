import type { CampaignContext } from '../core/campaign';
import type { EnvelopeIdentity } from '../core/envelope';

/** The value of cookie `name` as the page sees it (undecoded: Meta's click id is case- and byte-exact). */
export function readCookie(name: string): string | undefined {
  try {
    // `name` is one of ours (`_ga`, `_fbp`, `_fbc`): nothing in it is special in a pattern.
    return document.cookie.match(`(^|;) *${name}=([^;]+)`)?.[2]!.trim();
  } catch {
    return undefined; // no document (server), or a sandboxed iframe's SecurityError: no cookies, no identity
  }
}

/** When Meta's click id was created: `fb.1.<ms>.<fbclid>`. */
const createdAt = (fbc: string) => +fbc.split('.')[2]! || 0;

/**
 * Meta's click id: the `_fbc` cookie or the campaign's `fbc` (derived from `fbclid` at landing),
 * whichever is newer: the pixel may have loaded too late (after consent) to see the last click.
 */
export function latestFbc(campaign: CampaignContext): string | undefined {
  const candidates = [readCookie('_fbc'), campaign.last?.fbc, campaign.first?.fbc].filter(Boolean) as string[];
  return candidates.sort((a, b) => createdAt(b) - createdAt(a))[0];
}

/**
 * The platform ids the server needs to send an event on, from cookies and the campaign; `undefined`
 * when none. An id not found is `undefined`, which JSON leaves out. GA4's client id is the `_ga`
 * cookie's last two fields (`GA1.1.468604437.1611708469` -> `468604437.1611708469`).
 */
export function identityOf(campaign: CampaignContext): EnvelopeIdentity | undefined {
  const identity = { ga_client_id: readCookie('_ga')?.match(/\.(\d+\.\d+)$/)?.[1], fbp: readCookie('_fbp'), fbc: latestFbc(campaign) };
  return identity.ga_client_id || identity.fbp || identity.fbc ? identity : undefined;
}
