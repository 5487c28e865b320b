import type { CampaignContext } from '../core/campaign';

/**
 * Meta's click id format, `fb.<subdomainIndex>.<creationTime ms>.<fbclid>` ("fbp and fbc
 * Parameters", Meta Conversions API docs): anything else, such as an fbclid carrying `;` and cookie
 * attributes from a crafted link, is never written to a cookie.
 */
export const FBC = /^fb\.\d\.\d+\.[\w-]+$/;

/** The `_fbc` cookie, undecoded (the click id is byte-exact). Throws where cookies do (sandboxed iframe). */
const fbcCookie = () => document.cookie.match(/(^|; )_fbc=([^;]*)/)?.[2];

/** When a click id was created (its third field, epoch ms); 0 when there is none. */
const createdAt = (fbc: string | undefined) => Number(fbc?.split('.')[2]) || 0;

/**
 * Writes the campaign's click id (the last touch's, else the first's) to the `_fbc` cookie when it
 * is well-formed and newer than the cookie's, so a pixel that loaded after the landing page (after
 * consent) still attributes the click. 90 days, the lifetime Meta gives it.
 */
export function rememberFbc(campaign: CampaignContext): void {
  try {
    const fbc = campaign.last?.fbc ?? campaign.first?.fbc;
    if (!FBC.test(fbc!) || createdAt(fbcCookie()) >= createdAt(fbc)) return;
    document.cookie = `_fbc=${fbc}; path=/; max-age=7776000; SameSite=Lax`;
  } catch {
    // No document (server) or cookies refused (sandboxed iframe): the event still goes.
  }
}
