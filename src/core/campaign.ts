import { readJson, type KeyValueStorage } from './storage';

/** The UTM parameters the kit captures. */
export const UTM_PARAMS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'utm_id'] as const;
/** The ad click ids the kit captures. */
export const CLICK_ID_PARAMS = [
  'gclid', 'gbraid', 'wbraid', 'dclid', 'fbclid', 'msclkid', 'ttclid', 'li_fat_id', 'twclid',
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
// Control characters (C0, DEL, C1) and the invisible format characters browsers let through URLs.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** The default first/last touch lifetime: 90 days. */
export const DEFAULT_CAMPAIGN_TTL_MS = 90 * 24 * 60 * 60 * 1000;

/**
 * Cleans one captured value: strips control characters, trims, keeps at most 256 characters (never
 * splitting a surrogate pair). Returns `undefined` for non-strings and for what is empty afterwards.
 */
export function sanitizeCampaignValue(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const clean = value.replace(CONTROL, '').trim();
  if (!clean) return undefined;
  return clean.length <= MAX_LENGTH ? clean : Array.from(clean).slice(0, MAX_LENGTH).join('').slice(0, MAX_LENGTH);
}

/** Parses a URL without throwing; `undefined` for what is not a URL. */
function parseUrl(url: string, base?: string): URL | undefined {
  try {
    return new URL(url, base);
  } catch {
    return undefined;
  }
}

/**
 * Reads the campaign parameters of a landing URL into a touch. Unknown parameters are ignored; of a
 * repeated parameter the first value counts. `previous` keeps Meta's `fbc` creation time stable when
 * the same `fbclid` arrives again.
 */
export function touchFromUrl(url: string, referrer: string, now: number, previous?: Touch | null): Touch {
  const parsed = parseUrl(url);
  const touch: Record<string, string | number> = {
    landing_page: sanitizeCampaignValue(parsed ? parsed.origin + parsed.pathname : '') ?? '',
    referrer: sanitizeCampaignValue(referrer) ?? '',
    captured_at: now,
  };
  for (const param of ALL_PARAMS) {
    const value = sanitizeCampaignValue(parsed?.searchParams.get(param));
    if (value !== undefined) touch[param] = value;
  }
  const fbclid = touch.fbclid as string | undefined;
  if (fbclid) touch.fbc = previous?.fbclid === fbclid && previous.fbc ? previous.fbc : `fb.1.${now}.${fbclid}`;
  return touch as Touch;
}

/** Whether a touch carries any UTM parameter or click id. */
export function hasCampaignParams(touch: Touch): boolean {
  return ALL_PARAMS.some((param) => touch[param] !== undefined);
}

function sameParams(a: Touch, b: Touch): boolean {
  return ALL_PARAMS.every((param) => a[param] === b[param]);
}

/** Re-sanitizes a stored touch: storage is user-writable and may hold anything. */
function restoreTouch(value: unknown): Touch | null {
  if (!value || typeof value !== 'object') return null;
  const stored = value as Record<string, unknown>;
  if (typeof stored.captured_at !== 'number' || !Number.isFinite(stored.captured_at)) return null;
  const touch: Record<string, string | number> = {
    landing_page: sanitizeCampaignValue(stored.landing_page) ?? '',
    referrer: sanitizeCampaignValue(stored.referrer) ?? '',
    captured_at: stored.captured_at,
  };
  for (const key of [...ALL_PARAMS, 'fbc'] as const) {
    const clean = sanitizeCampaignValue(stored[key]);
    if (clean !== undefined) touch[key] = clean;
  }
  return touch as Touch;
}

/**
 * The campaign context store: captures touches, persists them with a TTL, and serves cached,
 * immutable snapshots for `useSyncExternalStore`.
 */
export interface CampaignStore {
  get(): CampaignContext;
  capture(url: string, referrer: string): void;
  subscribe(listener: () => void): () => void;
}

export function createCampaignStore(storage: KeyValueStorage, ttlMs: number, now: () => number): CampaignStore {
  const listeners = new Set<() => void>();
  let snapshot: CampaignContext | undefined;
  let expiresAt = Infinity;

  const load = (): CampaignContext => {
    const stored = readJson(storage, STORAGE_KEY) as { first?: unknown; last?: unknown } | undefined;
    const time = now();
    const valid = (touch: Touch | null) => (touch && time - touch.captured_at < ttlMs ? touch : null);
    const storedFirst = valid(restoreTouch(stored?.first));
    const last = valid(restoreTouch(stored?.last)) ?? storedFirst;
    const first = storedFirst ?? last;
    expiresAt = Math.min(first ? first.captured_at + ttlMs : Infinity, last ? last.captured_at + ttlMs : Infinity);
    return Object.freeze({ first, last });
  };

  const get = (): CampaignContext => {
    if (!snapshot || now() >= expiresAt) snapshot = load();
    return snapshot;
  };

  return {
    get,
    capture(url, referrer) {
      const current = get();
      const touch = touchFromUrl(url, referrer, now(), current.last);
      const fresh = hasCampaignParams(touch);
      // A visit without parameters keeps the stored context; a repeat of the same parameters
      // (a refresh, a redirect hop) keeps the original touch and its timestamp.
      if (current.last && (!fresh || sameParams(touch, current.last))) return;
      const next = { first: current.first ?? touch, last: touch };
      storage.setItem(STORAGE_KEY, JSON.stringify(next));
      snapshot = undefined;
      get();
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Appends the last touch's UTM parameters and click ids to an outbound URL, for cross-domain flows
 * (a checkout on another domain). Parameters already on the URL win. Relative URLs stay relative;
 * what is not a URL is returned unchanged.
 */
export function decorateUrlWith(context: CampaignContext, url: string): string {
  const touch = context.last;
  if (!touch) return url;
  const base = 'http://relative.invalid';
  const target = parseUrl(url, base);
  if (!target) return url;
  for (const param of ALL_PARAMS) {
    const value = touch[param];
    if (value !== undefined && !target.searchParams.has(param)) target.searchParams.set(param, value);
  }
  return target.origin === base ? target.pathname + target.search + target.hash : target.href;
}
