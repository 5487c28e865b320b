import type { CampaignContext } from '../core/campaign';
import type { EnvelopeIdentity } from '../core/envelope';
import { sameClick } from './fbc';

/** The page's cookies; '' without a document (server) or in a sandboxed iframe (SecurityError). */
function cookies(): string {
  try {
    return document.cookie;
  } catch {
    return '';
  }
}

/** The value of cookie `name` as the page sees it (undecoded: Meta's click id is case- and byte-exact). */
export function readCookie(name: string): string | undefined {
  // `name` is one of ours (`_ga`, `_fbp`, `_fbc`): nothing in it is special in a pattern.
  return cookies().match(`(^|;) *${name}=([^;]+)`)?.[2]!.trim();
}

/**
 * GA4's session from the `_ga_<container id>` cookie, in its GS1 form (`GS1.1.<session id>.<session
 * number>.…`) or its GS2 form (`GS2.1.s<session id>$o<session number>$…`). Google does not document
 * the cookie; both forms are described in
 * https://www.thyngster.com/google-analytics-4-cookie-format-change-from-gs1-to-gs2-explained.
 * Cookies in another form are ignored; two GA4 properties on the page with different sessions give
 * no session, rather than a wrong one.
 */
function gaSession(): EnvelopeIdentity {
  const sessions = new Set(
    [...cookies().matchAll(/_ga_\w+=GS(?:1\.\d+\.|2\.\d+\.s)(\d+)[.$]o?(\d*)/g)].map((found) => `${found[1]}.${found[2]}`),
  );
  const [id, number] = sessions.size == 1 ? [...sessions][0]!.split('.') : [];
  return { ga_session_id: id, ga_session_number: number || undefined };
}

/** When Meta's click id was created: `fb.1.<ms>.<fbclid>`. */
const createdAt = (fbc: string) => +fbc.split('.')[2]! || 0;

/**
 * Meta's click id: the `_fbc` cookie or the campaign's `fbc` (derived from `fbclid` at landing),
 * whichever is newer: the pixel may have loaded too late (after consent) to see the last click. The
 * cookie when both carry the same fbclid.
 */
export function latestFbc(campaign: CampaignContext): string | undefined {
  const cookie = readCookie('_fbc');
  const latest = ([cookie, campaign.last?.fbc, campaign.first?.fbc].filter(Boolean) as string[]).sort((a, b) => createdAt(b) - createdAt(a))[0];
  // For the same click, the cookie (saved first, usually by the pixel) and its creation time.
  return sameClick(cookie, latest) ? cookie : latest;
}

/**
 * The platform ids the server needs to send an event on, from cookies and the campaign; `undefined`
 * when none. An id not found is `undefined`, which JSON leaves out. GA4's client id is the `_ga`
 * cookie's last two fields (`GA1.1.468604437.1611708469` -> `468604437.1611708469`); its session id
 * and number come from the `_ga_<container id>` cookie.
 */
export function identityOf(campaign: CampaignContext): EnvelopeIdentity | undefined {
  const identity: EnvelopeIdentity = {
    ga_client_id: readCookie('_ga')?.match(/\.(\d+\.\d+)$/)?.[1],
    ...gaSession(),
    fbp: readCookie('_fbp'),
    fbc: latestFbc(campaign),
  };
  return Object.values(identity).some(Boolean) ? identity : undefined;
}
