import type { Emitter } from './emitter';
import { readJson, type KeyValueStorage } from './storage';
import { warnOnce } from './warn';

/** The UTM parameters the kit captures. */
export const UTM_PARAMS = [
  'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'utm_id',
  // GA4's manual-tagging parameters.
  'utm_source_platform', 'utm_creative_format', 'utm_marketing_tactic',
] as const;
/** The ad click ids the kit captures (and `gclsrc`, the source of a `gclid`). */
export const CLICK_ID_PARAMS = [
  'gclid', 'gclsrc', 'gbraid', 'wbraid', 'dclid', 'fbclid', 'msclkid', 'ttclid', 'li_fat_id', 'twclid',
] as const;

/** A captured URL parameter: a UTM parameter or an ad click id. */
export type CampaignParam = (typeof UTM_PARAMS)[number] | (typeof CLICK_ID_PARAMS)[number];

/**
 * One visit's campaign context. Field names are the URL parameters' own, on every event and in
 * every destination's input: `campaign.last.utm_campaign`, never a second name for the same thing.
 */
export type Touch = { readonly [P in CampaignParam]?: string } & {
  /** Meta's click id cookie value derived from `fbclid`: `fb.1.<first seen ms>.<fbclid>`. */
  readonly fbc?: string;
  /** Origin and path of the page the visit landed on (no query string). */
  readonly landing_page: string;
  /** `document.referrer` when the visit landed. */
  readonly referrer: string;
  /** Epoch milliseconds when the touch was captured. */
  readonly captured_at: number;
};

/**
 * First and last touch within the TTL. `first` is the earliest touch still valid, `last` the most
 * recent visit that carried campaign parameters (or the first visit, when none did).
 */
export interface CampaignContext {
  readonly first: Touch | null;
  readonly last: Touch | null;
}

const ALL_PARAMS: readonly CampaignParam[] = [...UTM_PARAMS, ...CLICK_ID_PARAMS];
const MAX_LENGTH = 256;
const STORAGE_KEY = 'conversion-kit:campaign';
// Unicode "other" characters: controls, invisible format characters (bidi overrides, zero-width
// spaces), lone surrogates, private use and unassigned code points.
const CONTROL = /\p{C}/gu;

/** The default first/last touch lifetime: 90 days. */
export const DEFAULT_CAMPAIGN_TTL_MS = 7_776_000_000; // 90 days of 86_400_000 ms

/**
 * Cleans one captured value: keeps at most 256 characters (never half a surrogate pair), strips
 * control and invisible characters, trims. Returns `undefined` for non-strings and for what is empty
 * afterwards.
 */
export function sanitizeCampaignValue(value: unknown): string | undefined {
  // Cut first: a cut through a surrogate pair leaves a lone surrogate, which CONTROL removes too.
  return (typeof value === 'string' && value.slice(0, MAX_LENGTH).replace(CONTROL, '').trim()) || undefined;
}

/** Parses a URL (resolved against `base` when given) without throwing; `undefined` for what is not a URL. */
function parseUrl(url: string, base?: string): URL | undefined {
  try {
    return new URL(url, base);
  } catch {
    // Not a URL: undefined.
  }
}

/** A touch of sanitized values only: the known keys, nothing else. */
function buildTouch(
  read: (key: string) => unknown,
  keys: readonly string[],
  landingPage: unknown,
  referrer: unknown,
  capturedAt: number,
): Record<string, string | number> {
  const touch: Record<string, string | number> = {
    landing_page: sanitizeCampaignValue(landingPage) ?? '',
    referrer: sanitizeCampaignValue(referrer) ?? '',
    captured_at: capturedAt,
  };
  for (const key of keys) {
    const value = sanitizeCampaignValue(read(key));
    if (value !== undefined) touch[key] = value;
  }
  return touch;
}

/**
 * Reads the campaign parameters of a landing URL into a touch: the query string's, then a hash
 * route's (`#/pricing?utm_source=…`) for what the query string lacks. Unknown parameters are ignored;
 * of a repeated parameter the first value counts. `previous` keeps Meta's `fbc` creation time stable
 * when the same `fbclid` arrives again.
 */
export function touchFromUrl(parsed: URL, referrer: string | undefined, now: number, previous?: Touch | null): Touch {
  const hash = new URLSearchParams(parsed.hash.split('?')[1]);
  const touch = buildTouch((key) => parsed.searchParams.get(key) ?? hash.get(key), ALL_PARAMS, parsed.origin + parsed.pathname, referrer, now);
  const fbclid = touch.fbclid;
  // Only a click id of Meta's alphabet becomes `fbc`: a crafted `x; max-age=…` must never reach a
  // cookie, the server or Meta.
  if (fbclid && /^[\w-]+$/.test(fbclid as string)) touch.fbc = previous?.fbclid === fbclid && previous.fbc ? previous.fbc : `fb.1.${now}.${fbclid}`;
  return touch as Touch;
}

/** Re-sanitizes a stored touch: storage is user-writable and may hold anything. */
function restoreTouch(stored: Record<string, unknown> | null | undefined): Touch | null {
  const capturedAt = stored?.captured_at;
  if (!Number.isFinite(capturedAt)) return null;
  return buildTouch((key) => stored![key], [...ALL_PARAMS, 'fbc'], stored!.landing_page, stored!.referrer, capturedAt as number) as Touch;
}

/**
 * The campaign context store: captures touches, persists them with a TTL, and serves cached,
 * immutable snapshots for `useSyncExternalStore`. `changed` is told about every new touch, and about
 * another tab's (the `storage` event).
 */
export interface CampaignStore {
  get(): CampaignContext;
  capture(url: string, referrer?: string): void;
}

export function createCampaignStore(storage: KeyValueStorage, ttlMs: number, changed: Emitter): CampaignStore {
  let snapshot!: CampaignContext;
  let stored: string | null | undefined;
  let staleAt = 0; // the first read builds the snapshot

  // Another tab's capture: subscribers read again. Page-long, like the tracker.
  globalThis.addEventListener?.('storage', (event: StorageEvent) => event.key === STORAGE_KEY && changed.emit());

  // Each read compares the stored text (another tab may have captured a touch) and the clock (a touch
  // may have expired while the page stayed open); the snapshot is rebuilt only when either changed.
  const get = (): CampaignContext => {
    const text = storage.getItem(STORAGE_KEY);
    const now = Date.now();
    if (text !== stored || now >= staleAt) {
      stored = text;
      // Any JSON at all: a value that is not an object reads as no touch.
      const value = readJson(storage, STORAGE_KEY) as Partial<Record<'first' | 'last', Record<string, unknown> | null>> | undefined;
      const valid = (touch: Touch | null) => (touch && now - touch.captured_at < ttlMs ? touch : null);
      const storedFirst = valid(restoreTouch(value?.first));
      const last = valid(restoreTouch(value?.last)) ?? storedFirst;
      // The first touch is the oldest: when it expires, the last touch is the earliest one left.
      snapshot = { first: storedFirst ?? last, last };
      staleAt = (snapshot.first?.captured_at ?? Infinity) + ttlMs;
    }
    return snapshot;
  };

  return {
    get,
    capture(url, referrer) {
      const parsed = parseUrl(url, globalThis.location?.href);
      if (!parsed) {
        if (typeof process !== 'undefined') {
          if (process.env.NODE_ENV !== 'production') {
            warnOnce(`captureCampaign("${url}"): expected an absolute URL, or a path on a page; nothing captured.`);
          }
        }
        return;
      }
      const current = get();
      const touch = touchFromUrl(parsed, referrer, Date.now(), current.last);
      // A visit without parameters keeps the stored context; a repeat of the same parameters
      // (a refresh, a redirect hop) keeps the original touch and its timestamp.
      const params = (t: Touch) => ALL_PARAMS.map((param) => t[param] ?? '').join('&');
      if (current.last && [params({} as Touch), params(current.last)].includes(params(touch))) return;
      storage.setItem(STORAGE_KEY, JSON.stringify({ first: current.first ?? touch, last: touch }));
      changed.emit();
    },
  };
}

/**
 * Appends the last touch's UTM parameters and click ids to an outbound absolute URL, for cross-domain
 * flows (a checkout on another domain). Parameters already on the URL win; what is not an absolute
 * URL is returned unchanged. A function, not a tracker method, so bundles that never decorate a URL
 * do not carry it.
 *
 * @example
 * decorateUrl('https://pay.example/checkout', tracker.getCampaign());
 * // in React: <a href={decorateUrl('https://pay.example/checkout', useCampaign())}>Pay</a>
 */
export function decorateUrl(url: string, campaign: CampaignContext): string {
  const target = parseUrl(url);
  const touch = campaign.last;
  if (!target || !touch) return url;
  for (const param of ALL_PARAMS) {
    const value = touch[param];
    if (value !== undefined && !target.searchParams.has(param)) target.searchParams.set(param, value);
  }
  return target.href;
}
