import type { CampaignContext } from '../core/campaign';

/**
 * Meta's click id format, `fb.<subdomainIndex>.<creationTime ms>.<fbclid>` ("fbp and fbc
 * Parameters", Meta Conversions API docs): anything else, such as an fbclid carrying `;` and cookie
 * attributes from a crafted link, is never written to a cookie.
 */
export const FBC = /^fb\.\d\.\d+\.[\w-]+$/;

/** The `_fbc` cookie, undecoded (the click id is byte-exact). Throws where cookies do (sandboxed iframe). */
const fbcCookie = () => document.cookie.match(/(^|; )_fbc=([^;]*)/)?.[2];

/** Whether two click ids carry the same fbclid (their fourth field; Meta's fbclid has no dot). */
export const sameClick = (a?: string, b?: string) => a?.split('.')[3] == b?.split('.')[3];

/** When a click id was created (its third field, epoch ms); 0 when there is none. */
const createdAt = (fbc: string | undefined) => Number(fbc?.split('.')[2]) || 0;

/**
 * Writes the campaign's click id (the last touch's, else the first's) to the `_fbc` cookie when it
 * is well-formed and newer than the cookie's, so a pixel that loaded after the landing page (after
 * consent) still attributes the click. A cookie for the same fbclid is kept with its creation time.
 *
 * Like Meta's pixel and its parameter builder library (github.com/facebook/capi-param-builder,
 * client_js cookieUtil: "attempt to write to the highest level domain we can"), it writes on the
 * widest domain the browser accepts: `example.com` from `www.example.com`, never a public suffix
 * such as `co.uk`, which the browser refuses. So there is one `_fbc` for the site, the one the pixel
 * reads and rewrites, not a host-only copy beside it; host-only only where no domain is accepted
 * (`localhost`, an IP). 90 days, the lifetime Meta gives it; no `Secure`, as Meta sets none.
 */
export function rememberFbc(campaign: CampaignContext): void {
  try {
    const fbc = campaign.last?.fbc ?? campaign.first?.fbc;
    const cookie = fbcCookie();
    // The same click already saved (by the pixel in <head>, usually first) keeps its creation time.
    if (!FBC.test(fbc!) || createdAt(cookie) >= createdAt(fbc) || sameClick(cookie, fbc)) return;
    const host = location.hostname.split('.');
    for (let i = 2; fbcCookie() !== fbc && i <= host.length + 1; i++) {
      document.cookie = `_fbc=${fbc}; path=/; max-age=7776000; SameSite=Lax${i > host.length ? '' : `; domain=${host.slice(-i).join('.')}`}`;
    }
  } catch {
    // No document (server) or cookies refused (sandboxed iframe): the event still goes.
  }
}
