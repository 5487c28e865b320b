import type { CampaignContext } from '../core/campaign';
import type { EnvelopeIdentity } from '../core/envelope';
import { sameClick } from './fbc';

/** `document.cookie`, or nothing where there is no document (a server) or it throws (a sandboxed iframe). */
export const cookieJar = () => {
  try {
    return document.cookie;
  } catch {
    return '';
  }
};

/** When Meta's click id was created: `fb.1.<ms>.<fbclid>`. */
const createdAt = (fbc: string) => +fbc.split('.')[2]! || 0;

// The last identity built, and the cookie text and campaign snapshot it came from.
let lastJar: string | undefined;
let lastCampaign: CampaignContext | undefined;
let lastIdentity: EnvelopeIdentity | undefined;

/**
 * The platform ids the server needs to send an event on, from cookies and the campaign; `undefined`
 * when none. An id not found is `undefined`, which JSON leaves out. Cookie values are read
 * undecoded (Meta's click id is case- and byte-exact).
 * - GA4's client id is the `_ga` cookie's last two fields (`GA1.1.468604437.1611708469` ->
 *   `468604437.1611708469`).
 * - GA4's session id and number come from the `_ga_<container id>` cookie, in its GS1 form
 *   (`GS1.1.<session id>.<session number>.…`) or its GS2 form (`GS2.1.s<session id>$o<session
 *   number>$…`). Google does not document the cookie; both forms are described in
 *   https://www.thyngster.com/google-analytics-4-cookie-format-change-from-gs1-to-gs2-explained.
 *   Cookies in another form are ignored; two GA4 properties on the page with different sessions give
 *   no session, rather than a wrong one.
 * - Meta's `fbp` is the `_fbp` cookie; its click id is the `_fbc` cookie or the campaign's `fbc`
 *   (derived from `fbclid` at landing), whichever is newer: the pixel may have loaded too late (after
 *   consent) to see the last click. The cookie when both carry the same fbclid.
 *
 * `jar` is `document.cookie` ({@link cookieJar}), parsed only when it or the campaign snapshot
 * changed since the last call: cookies change during a page's life (a consent banner lets the pixel
 * set `_fbp`, GA4 starts a new session in `_ga_<id>`), and comparing the raw text notices any change.
 */
export function identityOf(campaign: CampaignContext, jar: string): EnvelopeIdentity | undefined {
  if (jar === lastJar && campaign === lastCampaign) return lastIdentity;
  // `name` is one of ours (`_ga`, `_fbp`, `_fbc`): nothing in it is special in a pattern.
  const cookie = (name: string) => jar.match(`(^|;) *${name}=([^;]+)`)?.[2]!.trim();
  const sessions = new Set([...jar.matchAll(/_ga_\w+=GS(?:1\.\d+\.|2\.\d+\.s)(\d+)[.$]o?(\d*)/g)].map((found) => `${found[1]}.${found[2]}`));
  const [sessionId, sessionNumber] = sessions.size == 1 ? [...sessions][0]!.split('.') : [];
  const fbc = cookie('_fbc');
  const latest = ([fbc, campaign.last?.fbc, campaign.first?.fbc].filter(Boolean) as string[]).sort((a, b) => createdAt(b) - createdAt(a))[0];
  const identity: EnvelopeIdentity = {
    ga_client_id: cookie('_ga')?.match(/\.(\d+\.\d+)$/)?.[1],
    ga_session_id: sessionId,
    ga_session_number: sessionNumber || undefined,
    fbp: cookie('_fbp'),
    // For the same click, the cookie (saved first, usually by the pixel) and its creation time.
    fbc: sameClick(fbc, latest) ? fbc : latest,
  };
  lastJar = jar;
  lastCampaign = campaign;
  return (lastIdentity = Object.values(identity).some(Boolean) ? identity : undefined);
}
