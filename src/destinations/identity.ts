import type { CampaignContext } from '../core/campaign';
import type { EnvelopeIdentity } from '../core/envelope';

/** The value of cookie `name` as the page sees it (undecoded: Meta's click id is case- and byte-exact). */
export function readCookie(name: string): string | undefined {
  let cookies: string | undefined;
  try {
    cookies = globalThis.document?.cookie;
  } catch {
    return undefined; // a sandboxed iframe throws SecurityError: no cookies, no identity
  }
  if (!cookies) return undefined;
  for (const pair of cookies.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim() || undefined;
  }
  return undefined;
}

/** GA4's client id from a `_ga` cookie: its last two fields (`GA1.1.468604437.1611708469` -> `468604437.1611708469`). */
export function gaClientId(cookie: string | undefined): string | undefined {
  const match = cookie?.match(/\.(\d+\.\d+)$/);
  return match?.[1];
}

const createdAt = (fbc: string | undefined) => Number(fbc?.split('.')[2]) || 0;

/**
 * Meta's click id: the `_fbc` cookie or the campaign's `fbc` (derived from `fbclid` at landing),
 * whichever is newer: the pixel may have loaded too late (after consent) to see the last click.
 */
export function latestFbc(campaign: CampaignContext): string | undefined {
  const candidates = [readCookie('_fbc'), campaign.last?.fbc, campaign.first?.fbc].filter(Boolean) as string[];
  return candidates.sort((a, b) => createdAt(b) - createdAt(a))[0];
}

/** The platform ids the server needs to send an event on, from cookies and the campaign; `undefined` when none. */
export function identityOf(campaign: CampaignContext): EnvelopeIdentity | undefined {
  const identity: { -readonly [K in keyof EnvelopeIdentity]: EnvelopeIdentity[K] } = {};
  const ga = gaClientId(readCookie('_ga'));
  const fbp = readCookie('_fbp');
  const fbc = latestFbc(campaign);
  if (ga) identity.ga_client_id = ga;
  if (fbp) identity.fbp = fbp;
  if (fbc) identity.fbc = fbc;
  return ga || fbp || fbc ? identity : undefined;
}
