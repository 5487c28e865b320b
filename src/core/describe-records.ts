import { CLICK_ID_PARAMS, type CampaignContext, type Touch } from './campaign';
import type { ConsentValue } from './consent';
import { issuePath } from './errors';
import type { TrackingRecord } from './records';

/**
 * Records in words, for people who do not read code: the conversion debugger and the Storybook
 * "Conversions" panel show these. Plain data, so it can cross Storybook's channel.
 */

/** How a decision looks: good news, waiting, worth a look, or a problem. */
export type DecisionTone = 'success' | 'pending' | 'warning' | 'error';

/** What happened to one destination's copy of an event. */
export interface OutcomeDescription {
  readonly seq: number;
  readonly tone: DecisionTone;
  /**
   * `Delivered to beacon`, `Delivered to gtag without: phone: no country code …`,
   * `Not sent to meta: the visitor declined consent`.
   */
  readonly text: string;
}

/** One decision of the tracker (sent, held, duplicate, rejected) and what the destinations did with it. */
export interface DecisionDescription {
  readonly seq: number;
  readonly at: number;
  readonly event: string;
  readonly tone: DecisionTone;
  /** The decision in words: `Sent`, `Held for consent`, `Duplicate, not sent again`, `Rejected`. */
  readonly status: string;
  /** What was tracked: the value first, then the payload fields (`135.00 EUR · order_id A-1001`). */
  readonly summary: string;
  /** Why, one sentence each: the failing fields of a rejected payload, the consent wait, the key. */
  readonly reasons: readonly string[];
  readonly outcomes: readonly OutcomeDescription[];
}

/** Counts per event name, over the decisions shown. Each call lands in exactly one column. */
export interface EventCount {
  readonly event: string;
  /** A conversion (`conversion: true` in the contract); `false` also when only rejected calls were seen. */
  readonly conversion: boolean;
  /** Sent, or held and then released to a destination: counted once. */
  readonly counted: number;
  /** Held for consent: no destination has it yet. */
  readonly held: number;
  /** Held, then given up by every destination it waited for (consent declined, hold queue full). */
  readonly dropped: number;
  readonly duplicates: number;
  readonly rejected: number;
}

const MAX_FIELDS = 4;
const MAX_TEXT = 40;

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

/** `135.00 EUR · order_id A-1001 · coupon SPRING10`: the value first, then up to four fields. */
export function summarizePayload(payload: unknown): string {
  if (!payload || typeof payload !== 'object') return payload === undefined ? '' : short(payload);
  const parts: string[] = [];
  const { value, currency } = payload as Record<string, unknown>;
  const hasValue = typeof value === 'number' && Number.isFinite(value);
  if (hasValue) {
    const amount = value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    parts.push(typeof currency === 'string' ? `${amount} ${currency}` : amount);
  }
  let shown = 0;
  for (const [name, field] of Object.entries(payload)) {
    if (hasValue && (name === 'value' || name === 'currency')) continue;
    if (field === undefined || shown === MAX_FIELDS) continue;
    parts.push(`${name} ${short(field)}`);
    shown += 1;
  }
  return parts.join(' · ');
}

const DROP_REASONS = {
  consent_denied: 'the visitor declined consent',
  queue_full: 'too many events were already waiting for consent, so this one was not kept',
  claimed_in_another_tab: 'another tab counted the same conversion at the same instant',
} as const;

function describeOutcome(record: TrackingRecord): OutcomeDescription | null {
  switch (record.type) {
    case 'delivered':
      // Delivered, but without values the platform would not take: worth a look.
      return record.omitted
        ? { seq: record.seq, tone: 'warning', text: `Delivered to ${record.destination} without: ${record.omitted.join('; ')}` }
        : { seq: record.seq, tone: 'success', text: `Delivered to ${record.destination}` };
    case 'failed':
      return {
        seq: record.seq,
        tone: 'error',
        text: `Failed at ${record.destination}: ${record.error.message.replace(/^\[conversion-kit\] /, '')}`,
      };
    case 'dropped':
      return { seq: record.seq, tone: 'warning', text: `Not sent to ${record.destination}: ${DROP_REASONS[record.reason]}` };
    default:
      return null;
  }
}

function describeDecision(record: TrackingRecord): Omit<DecisionDescription, 'outcomes'> | null {
  const base = { seq: record.seq, at: record.at, event: record.event };
  switch (record.type) {
    case 'sent':
      return { ...base, tone: 'success', status: 'Sent', summary: summarizePayload(record.envelope.payload), reasons: [] };
    case 'queued':
      return {
        ...base,
        tone: 'pending',
        status: 'Held for consent',
        summary: summarizePayload(record.envelope.payload),
        reasons: [`Waits for the visitor's consent before going to ${record.destinations.join(', ')}.`],
      };
    case 'duplicate':
      return {
        ...base,
        tone: 'warning',
        status: 'Duplicate, not sent again',
        summary: summarizePayload(record.envelope.payload),
        reasons: [
          record.envelope.dedupeKey === null
            ? 'This exact event was already sent; it counts once.'
            : `${record.envelope.dedupeKey} was already sent; it counts once.`,
        ],
      };
    case 'invalid':
      return {
        ...base,
        tone: 'error',
        status: 'Rejected',
        summary: summarizePayload(record.payload),
        reasons: record.issues.map((issue) =>
          issue.path?.length ? `${issuePath(issue)}: ${issue.message}` : issue.message,
        ),
      };
    default:
      return null;
  }
}

/**
 * Groups records into decisions, oldest first; each destination outcome joins the latest decision
 * that sent or held the same event id. An outcome whose decision fell out of the history stands alone.
 */
export function describeDecisions(records: readonly TrackingRecord[]): DecisionDescription[] {
  const decisions: (Omit<DecisionDescription, 'outcomes'> & { outcomes: OutcomeDescription[] })[] = [];
  const open = new Map<string, number>();
  for (const record of records) {
    const decision = describeDecision(record);
    if (decision) {
      if (record.type === 'sent' || record.type === 'queued') open.set(record.eventId, decisions.length);
      decisions.push({ ...decision, outcomes: [] });
      continue;
    }
    const outcome = describeOutcome(record);
    if (!outcome) continue;
    const index = open.get(record.eventId);
    if (index !== undefined) decisions[index]!.outcomes.push(outcome);
    else decisions.push({ seq: record.seq, at: record.at, event: record.event, tone: outcome.tone, status: outcome.text, summary: '', reasons: [], outcomes: [] });
  }
  return decisions;
}

type Column = 'counted' | 'held' | 'dropped' | 'duplicates' | 'rejected';

/**
 * The column of each call, by event id. A held event moves to `counted` once a destination got (or
 * tried) it, or to `dropped` once every destination it waited for gave it up.
 */
function columnsById(records: readonly TrackingRecord[]) {
  const columns = new Map<string, { event: string; conversion: boolean; column: Column }>();
  const waiting = new Map<string, number>();
  let anonymous = 0;
  for (const record of records) {
    const { type, eventId } = record;
    const conversion = 'envelope' in record && record.envelope.conversion;
    if (type === 'sent') columns.set(eventId, { event: record.event, conversion, column: 'counted' });
    else if (type === 'queued') {
      waiting.set(eventId, record.destinations.length);
      columns.set(eventId, { event: record.event, conversion, column: 'held' });
    } else if (type === 'duplicate' || type === 'invalid') {
      // Not the id of a counted event: a duplicate shares its id with the original.
      columns.set(`${type}:${eventId}:${anonymous++}`, { event: record.event, conversion, column: type === 'invalid' ? 'rejected' : 'duplicates' });
    } else {
      const entry = columns.get(eventId);
      if (entry?.column !== 'held') continue;
      const left = type === 'dropped' ? (waiting.get(eventId) ?? 1) - 1 : -1;
      waiting.set(eventId, left);
      if (type !== 'dropped') entry.column = 'counted';
      else if (left <= 0) entry.column = 'dropped';
    }
  }
  return columns.values();
}

/** Counts per event, in the order events first appear; see {@link EventCount} for the columns. */
export function countDecisions(records: readonly TrackingRecord[]): EventCount[] {
  const counts = new Map<string, { -readonly [K in keyof EventCount]: EventCount[K] }>();
  for (const { event, conversion, column } of columnsById(records)) {
    const count = counts.get(event) ?? { event, conversion, counted: 0, held: 0, dropped: 0, duplicates: 0, rejected: 0 };
    count.conversion ||= conversion;
    count[column] += 1;
    counts.set(event, count);
  }
  return [...counts.values()];
}

/** How many conversions were counted: what the debugger's button shows. */
export function countConversions(counts: readonly EventCount[]): number {
  return counts.reduce((sum, count) => sum + (count.conversion ? count.counted : 0), 0);
}

/** A touch in words: `google / cpc · campaign spring_sale · gclid EAIaIQ… · landed on example.com/landing`. */
export function describeTouch(touch: Touch | null): string {
  if (!touch) return 'None yet';
  const parts: string[] = [];
  if (touch.utm_source || touch.utm_medium) parts.push(`${touch.utm_source ?? '(no source)'} / ${touch.utm_medium ?? '(no medium)'}`);
  if (touch.utm_campaign) parts.push(`campaign ${touch.utm_campaign}`);
  const clickId = CLICK_ID_PARAMS.find((param) => touch[param]);
  if (clickId) parts.push(`${clickId} ${short(touch[clickId])}`);
  if (parts.length === 0) parts.push('Direct visit (no campaign parameters)');
  if (touch.landing_page) parts.push(`landed on ${touch.landing_page.replace(/^https?:\/\//, '')}`);
  return parts.join(' · ');
}

/** Both touches in words; a last touch equal to the first says so. */
export function describeCampaign(campaign: CampaignContext): { first: string; last: string } {
  const first = describeTouch(campaign.first);
  const sameVisit = campaign.last && campaign.last.captured_at === campaign.first?.captured_at;
  const last = sameVisit && describeTouch(campaign.last) === first ? 'Same as the first touch' : describeTouch(campaign.last);
  return { first, last };
}

/** `Granted`, `Denied`, `Not decided yet`. */
export function describeConsentValue(value: ConsentValue): string {
  return value === 'granted' ? 'Granted' : value === 'denied' ? 'Denied' : 'Not decided yet';
}
