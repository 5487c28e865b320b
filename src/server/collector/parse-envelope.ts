import { CLICK_ID_PARAMS, sanitizeCampaignValue, UTM_PARAMS, type CampaignContext, type Touch } from '../../core/campaign';
import type { AnyContract } from '../../core/contract';
import type { Envelope, EnvelopeIdentity } from '../../core/envelope';
import { describeIssues } from '../../core/errors';
import { isUuid } from '../../core/event-id';
import { validateEvent } from '../../core/validation';
import { serverEventIdFor } from '../delivery/event-id';

/** An envelope the contract accepts, rebuilt from its known fields only. */
export interface ParsedEnvelope {
  readonly ok: true;
  readonly envelope: Envelope;
}

/** An envelope refused, with one message per problem, each naming the event and the field. */
export interface RefusedEnvelope {
  readonly ok: false;
  readonly event?: string;
  readonly eventId?: string;
  readonly errors: readonly string[];
  /** Why, for the collector's counters: the envelope's shape, an event not in the contract, or its payload. */
  readonly reason: 'invalid_envelope' | 'unknown_event' | 'invalid_payload';
  /** The envelope's `release`, when it was a valid one. */
  readonly release?: string;
}

const TOUCH_PARAMS = [...UTM_PARAMS, ...CLICK_ID_PARAMS, 'fbc'] as const;
const IDENTITY_FIELDS = ['ga_client_id', 'fbp', 'fbc'] as const;
// GA4's session (issue 10): digits, as the beacon reads them from the `_ga_<container id>` cookie.
const GA_SESSION_FIELDS = ['ga_session_id', 'ga_session_number'] as const;
const MAX_ID_LENGTH = 500;
const UUID_LENGTH = 36;
const MAX_PROOF_LENGTH = 200;
/** A build id or version: what `release` may be (the collector keeps counters per release). */
export const RELEASE_PATTERN = /^[A-Za-z0-9._+-]{1,64}$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
/** A short, safe rendering of any received value: never recurses, so hostile nesting cannot overflow. */
const quote = (value: unknown) => {
  const text =
    typeof value === 'string'
      ? `"${value}"`
      : Array.isArray(value)
        ? `an array of ${value.length}`
        : isObject(value)
          ? 'an object'
          : String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
};

function parseTouch(value: unknown, field: string, errors: string[]): Touch | null {
  if (value === null || value === undefined) return null;
  if (!isObject(value) || typeof value.captured_at !== 'number' || !Number.isFinite(value.captured_at)) {
    errors.push(`${field}: expected null or a touch with captured_at in epoch milliseconds`);
    return null;
  }
  const touch: Record<string, string | number> = {
    landing_page: sanitizeCampaignValue(value.landing_page) ?? '',
    referrer: sanitizeCampaignValue(value.referrer) ?? '',
    captured_at: value.captured_at,
  };
  for (const param of TOUCH_PARAMS) {
    const clean = sanitizeCampaignValue(value[param]);
    if (clean !== undefined) touch[param] = clean;
  }
  return touch as Touch;
}

function parseCampaign(value: unknown, errors: string[]): CampaignContext {
  if (value === undefined) return { first: null, last: null };
  if (!isObject(value)) {
    errors.push('campaign: expected { first, last }');
    return { first: null, last: null };
  }
  return { first: parseTouch(value.first, 'campaign.first', errors), last: parseTouch(value.last, 'campaign.last', errors) };
}

function parsePage(value: unknown, errors: string[]): Envelope['page'] {
  if (value === undefined) return { path: '', referrer: '' };
  const path = isObject(value) ? (value.path ?? '') : undefined;
  const referrer = isObject(value) ? (value.referrer ?? '') : undefined;
  if (typeof path !== 'string' || typeof referrer !== 'string') {
    errors.push('page: expected { path, referrer } with string values');
    return { path: '', referrer: '' };
  }
  return { path: path.slice(0, 2048), referrer: referrer.slice(0, 2048) };
}

function parseIdentity(value: unknown, errors: string[]): EnvelopeIdentity | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    errors.push('identity: expected an object with ga_client_id, fbp, fbc');
    return undefined;
  }
  const identity: Record<string, string> = {};
  for (const field of IDENTITY_FIELDS) {
    const id = value[field];
    if (id === undefined) continue;
    if (typeof id !== 'string' || id.length > MAX_ID_LENGTH) {
      errors.push(`identity.${field}: expected a string of at most ${MAX_ID_LENGTH} characters, received ${quote(id)}`);
    } else if (id !== '') {
      identity[field] = id;
    }
  }
  for (const field of GA_SESSION_FIELDS) {
    const id = value[field];
    if (id === undefined) continue;
    if (typeof id === 'string' && /^\d{1,20}$/.test(id)) identity[field] = id;
    else errors.push(`identity.${field}: expected a string of at most 20 digits, received ${quote(id)}`);
  }
  return Object.keys(identity).length > 0 ? identity : undefined;
}

/**
 * Checks one envelope of a batch: its shape, then its event, payload, dedup key and `eventId` with the
 * same `validateEvent` the browser tracker uses (a deduped event's id must be `eventIdFor(event,
 * dedupeKey)`; ids are compared and kept in lower case). Rebuilds the envelope from its known fields;
 * `conversion` comes from the contract, not from the sender, and `source` is always `client`: a
 * request to the collector cannot speak for the server.
 */
export function parseEnvelope(contract: AnyContract, value: unknown): ParsedEnvelope | RefusedEnvelope {
  if (!isObject(value)) return { ok: false, reason: 'invalid_envelope', errors: [`expected an envelope object, received ${quote(value)}`] };
  const errors: string[] = [];
  const event = typeof value.event === 'string' && value.event !== '' ? value.event : undefined;
  const name = event ?? 'event';
  if (!event) errors.push(`event: expected the event name, received ${quote(value.event)}`);
  // Whether the id is a UUID, and the one a dedup key gives, is core's rule (validateEvent); here only
  // that the envelope has one, short enough to quote back.
  const sentId = typeof value.eventId === 'string' && value.eventId.length <= UUID_LENGTH ? value.eventId : undefined;
  if (sentId === undefined) errors.push(`${name}.eventId: expected a UUID, received ${quote(value.eventId)}`);
  const eventId = isUuid(sentId) ? sentId : undefined;
  const dedupeKey = value.dedupeKey ?? null;
  if (dedupeKey !== null && typeof dedupeKey !== 'string') {
    errors.push(`${name}.dedupeKey: expected a string or null, received ${quote(dedupeKey)}`);
  }
  const timestamp = value.timestamp;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp <= 0) {
    errors.push(`${name}.timestamp: expected epoch milliseconds, received ${quote(timestamp)}`);
  }
  const source = value.source ?? 'client';
  if (source !== 'client' && source !== 'server') {
    errors.push(`${name}.source: expected "client" or "server", received ${quote(source)}`);
  }
  const proof = value.proof;
  if (proof !== undefined && (typeof proof !== 'string' || proof.length > MAX_PROOF_LENGTH)) {
    errors.push(`${name}.proof: expected the string signConversion returned, received ${quote(proof)}`);
  }
  const release = value.release;
  const validRelease = typeof release === 'string' && RELEASE_PATTERN.test(release) ? release : undefined;
  if (release !== undefined && validRelease === undefined) {
    errors.push(`${name}.release: expected a build id or version of 1 to 64 characters of A-Z a-z 0-9 . _ + -, received ${quote(release)}`);
  }
  const fieldErrors: string[] = [];
  const campaign = parseCampaign(value.campaign, fieldErrors);
  const page = parsePage(value.page, fieldErrors);
  const identity = parseIdentity(value.identity, fieldErrors);
  errors.push(...fieldErrors.map((error) => `${name}.${error}`));
  const refused = { ok: false, event, eventId, ...(validRelease && { release: validRelease }) } as const;
  if (!event || sentId === undefined || errors.length > 0) return { ...refused, reason: 'invalid_envelope', errors };

  const checked = validateEvent(contract, event, value.payload, {
    dedupeKey: typeof dedupeKey === 'string' ? dedupeKey : undefined,
    eventId: sentId,
  }, serverEventIdFor);
  if (!checked.ok) {
    const messages =
      checked.reason === 'unknown_event'
        ? checked.issues.map((issue) => issue.message)
        : checked.issues.map((issue) => describeIssues(event, [issue]));
    return { ...refused, reason: checked.reason, errors: messages };
  }
  const envelope: Envelope = {
    event,
    // Lower-cased by validateEvent: upper- and lower-case copies of one id are one event.
    eventId: checked.eventId,
    dedupeKey: checked.dedupeKey,
    conversion: checked.definition.conversion === true,
    timestamp: timestamp as number,
    payload: checked.payload,
    campaign,
    page,
    // Whatever the sender wrote: anyone can post here, so only the server tracker reports as the server.
    source: 'client',
    ...(identity && { identity }),
    ...(typeof proof === 'string' && { proof }),
    ...(validRelease && { release: validRelease }),
  };
  return { ok: true, envelope };
}
