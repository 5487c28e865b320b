import type { Envelope } from '../../core/envelope';
import type { DestinationOutcome } from '../delivery/forward';
import type { UserData } from '../delivery/server-destination';
import { hourOf, type StatsKey, type StatsUpdate } from './stats-store';

/** The longest `issue:` counter name and `last_error:` note kept: enough to read, bounded to store. */
const MAX_TEXT = 160;
/** Issues counted per refused envelope: the first ones say what broke. */
const ISSUES_PER_ENVELOPE = 3;

const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

/**
 * The rows of one collector request or one server `track`, built in memory and handed to the store
 * in one `add`: each row is one event, release and source in the hour the request was counted.
 */
export class StatsRows {
  private readonly rows = new Map<string, { key: StatsKey; counts: Record<string, number>; notes: Record<string, string> }>();
  private readonly hour: number;

  constructor(private readonly time: number) {
    this.hour = hourOf(time);
  }

  private row(event: string, release: string, source: StatsKey['source']) {
    const id = `${event}\u0000${release}\u0000${source}`;
    let row = this.rows.get(id);
    if (!row) {
      row = { key: { hour: this.hour, event, release, source }, counts: Object.create(null), notes: Object.create(null) };
      row.notes.last_seen = String(this.time);
      this.rows.set(id, row);
    }
    return row;
  }

  /** Adds `by` to counter `name` of the row of `event`, `release`, `source`. */
  count(key: Omit<StatsKey, 'hour'>, name: string, by = 1): void {
    const { counts } = this.row(key.event, key.release, key.source);
    counts[name] = (counts[name] ?? 0) + by;
  }

  /** Sets note `name` (last value wins). */
  note(key: Omit<StatsKey, 'hour'>, name: string, value: string): void {
    this.row(key.event, key.release, key.source).notes[name] = clip(value);
  }

  /** A refused envelope: `rejected`, its reason code, and the first schema issues behind it. */
  rejected(key: Omit<StatsKey, 'hour'>, code: string, issues: readonly string[]): void {
    this.count(key, 'rejected');
    this.count(key, `rejected:${code}`);
    for (const issue of issues.slice(0, ISSUES_PER_ENVELOPE)) this.count(key, `issue:${clip(issue)}`);
  }

  /** Each destination's outcome; for deliveries, the match keys the event carried. */
  destinations(key: Omit<StatsKey, 'hour'>, outcomes: readonly DestinationOutcome[], keys: readonly string[]): void {
    for (const outcome of outcomes) {
      const name = outcome.destination;
      const status = outcome.status === 'failed' && outcome.retryable !== false ? 'failed_retryable' : outcome.status;
      this.count(key, `dest:${name}:${status}`);
      if (outcome.status === 'failed' && outcome.reason) this.note(key, `last_error:${name}`, outcome.reason);
      if (outcome.status === 'delivered') for (const matchKey of keys) this.count(key, `dest:${name}:key:${matchKey}`);
    }
  }

  get size(): number {
    return this.rows.size;
  }

  updates(): StatsUpdate[] {
    return [...this.rows.values()].map(({ key, counts, notes }) => ({ ...key, counts, notes }));
  }
}

const present = (value: string | readonly string[] | undefined) =>
  typeof value === 'string' ? value.trim() !== '' : Array.isArray(value) && value.some((item) => typeof item === 'string' && item.trim() !== '');

/**
 * The match keys an event carries, by the names Meta and Google use: hashed email and phone (the
 * server tracker's `userData`), Meta's `fbc`/`fbp`, Google's click ids, GA4's client and session id.
 */
export function matchKeysOf(envelope: Envelope, userData?: UserData): string[] {
  const keys: string[] = [];
  if (present(userData?.email)) keys.push('em');
  if (present(userData?.phone)) keys.push('ph');
  const { identity, campaign } = envelope;
  if (identity?.fbc ?? campaign.last?.fbc ?? campaign.first?.fbc) keys.push('fbc');
  if (identity?.fbp) keys.push('fbp');
  for (const click of ['gclid', 'gbraid', 'wbraid'] as const) if (campaign.last?.[click] ?? campaign.first?.[click]) keys.push(click);
  if (identity?.ga_client_id) keys.push('ga_client_id');
  if (identity?.ga_session_id) keys.push('ga_session_id');
  return keys;
}
