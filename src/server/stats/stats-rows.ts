import type { Envelope } from '../../core/envelope';
import type { DestinationOutcome } from '../delivery/forward';
import type { UserData } from '../delivery/server-destination';
import { hourOf, type StatsKey, type StatsUpdate } from './stats-store';

/** The longest `issue:` counter name and `last_error:` note kept: enough to read, bounded to store. */
const MAX_TEXT = 160;
/** Issues counted per refused envelope: the first ones say what broke. */
const ISSUES_PER_ENVELOPE = 3;

const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

/** One row being built: its counts and notes, null-prototyped (issue names quote what a page sent). */
export interface RowCounts {
  readonly counts: Record<string, number>;
  readonly notes: Record<string, string>;
}

/** Adds `by` to counter `name`. */
export const bump = (row: RowCounts, name: string, by = 1) => {
  row.counts[name] = (row.counts[name] ?? 0) + by;
};

/**
 * Counter names per destination, built once: a collector counts the same few names for every event.
 */
export class CounterNames {
  private readonly names = new Map<string, Map<string, string>>();
  private readonly keyNames = new Map<string, readonly string[]>();

  /** `dest:<destination>:<what>` (`what` an outcome or `key:<key>`). */
  of(destination: string, what: string): string {
    let byWhat = this.names.get(destination);
    if (!byWhat) this.names.set(destination, (byWhat = new Map()));
    let name = byWhat.get(what);
    if (name === undefined) {
      name = `dest:${destination}:${what}`;
      // Bounded: destinations are fixed at creation; outcomes and keys are a few known words.
      if (byWhat.size < 64) byWhat.set(what, name);
    }
    return name;
  }

  /** The counter names of every match key for `destination`, in {@link MATCH_KEYS} order. */
  keysOf(destination: string): readonly string[] {
    let names = this.keyNames.get(destination);
    if (!names) {
      names = MATCH_KEYS.map((key) => `dest:${destination}:${key}`);
      if (this.keyNames.size < 64) this.keyNames.set(destination, names);
    }
    return names;
  }
}

const present = (value: string | readonly string[] | undefined) =>
  typeof value === 'string' ? value.trim() !== '' : Array.isArray(value) && value.some((item) => typeof item === 'string' && item.trim() !== '');

/** The match keys counted, by the names Meta and Google use; {@link matchKeysOf} sets bit `i` for `MATCH_KEYS[i]`. */
export const MATCH_KEYS = ['key:em', 'key:ph', 'key:fbc', 'key:fbp', 'key:gclid', 'key:gbraid', 'key:wbraid', 'key:ga_client_id', 'key:ga_session_id'] as const;

/**
 * The match keys an event carries, as bits of {@link MATCH_KEYS} (a number, not a list: this runs for
 * every delivered event): hashed email and phone (the server tracker's `userData`), Meta's
 * `fbc`/`fbp`, Google's click ids, GA4's client and session id.
 */
export function matchKeysOf(envelope: Envelope, userData?: UserData): number {
  const { identity, campaign } = envelope;
  const { first, last } = campaign;
  return (
    (userData && present(userData.email) ? 1 : 0) |
    (userData && present(userData.phone) ? 2 : 0) |
    (identity?.fbc ?? last?.fbc ?? first?.fbc ? 4 : 0) |
    (identity?.fbp ? 8 : 0) |
    (last?.gclid ?? first?.gclid ? 16 : 0) |
    (last?.gbraid ?? first?.gbraid ? 32 : 0) |
    (last?.wbraid ?? first?.wbraid ? 64 : 0) |
    (identity?.ga_client_id ? 128 : 0) |
    (identity?.ga_session_id ? 256 : 0)
  );
}

/**
 * The rows of one collector request or one server `track`, built in memory and handed to the store
 * in one `add`: each row is one event, release and source in the hour the request was counted.
 */
export class StatsRows {
  private readonly rows = new Map<string, RowCounts & { key: StatsKey }>();
  private readonly hour: number;
  // The row asked for last: the events of one request are mostly one event, release and source.
  private last: (RowCounts & { key: StatsKey }) | undefined;

  constructor(
    private readonly time: number,
    private readonly names: CounterNames,
  ) {
    this.hour = hourOf(time);
  }

  /** The row of `event`, `release`, `source`, made on first use. */
  row(event: string, release: string, source: StatsKey['source']): RowCounts {
    const last = this.last;
    if (last !== undefined && last.key.event === event && last.key.release === release && last.key.source === source) return last;
    const id = release === '' ? `${source}\u0000${event}` : `${source}\u0000${event}\u0000${release}`;
    let row = this.rows.get(id);
    if (!row) {
      row = { key: { hour: this.hour, event, release, source }, counts: Object.create(null), notes: Object.create(null) };
      row.notes.last_seen = String(this.time);
      this.rows.set(id, row);
    }
    return (this.last = row);
  }

  /** A refused envelope: `rejected`, its reason code, and the first schema issues behind it. */
  rejected(row: RowCounts, code: string, issues: readonly string[]): void {
    bump(row, 'rejected');
    bump(row, `rejected:${code}`);
    for (const issue of issues.slice(0, ISSUES_PER_ENVELOPE)) bump(row, `issue:${clip(issue)}`);
  }

  /** Each destination's outcome; for deliveries, the match keys the event carried (bits of {@link MATCH_KEYS}). */
  destinations(row: RowCounts, outcomes: readonly DestinationOutcome[], keys: number): void {
    for (const outcome of outcomes) {
      const name = outcome.destination;
      const status = outcome.status === 'failed' && outcome.retryable !== false ? 'failed_retryable' : outcome.status;
      bump(row, this.names.of(name, status));
      if (outcome.status === 'failed' && outcome.reason) row.notes[`last_error:${name}`] = clip(outcome.reason);
      if (outcome.status !== 'delivered' || keys === 0) continue;
      const keyNames = this.names.keysOf(name);
      for (let bit = 0; bit < keyNames.length; bit++) if (keys & (1 << bit)) bump(row, keyNames[bit]!);
    }
  }

  updates(): StatsUpdate[] {
    const updates: StatsUpdate[] = [];
    for (const { key, counts, notes } of this.rows.values()) updates.push({ hour: key.hour, event: key.event, release: key.release, source: key.source, counts, notes });
    return updates;
  }
}
