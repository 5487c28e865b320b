import type { StatsUpdate } from 'conversion-kit/server';

/**
 * A simulated fortnight of the demo shop's collector stats, ending at `now`: what the health page of
 * the story and of `npm start` shows. Traffic follows the day (quiet at night, busy in the evening);
 * release v1.8.0 went out nine days ago and changed nothing; release v1.9.0 went out 28 hours ago and
 * broke two things at once:
 * - the checkout's success step reports only every other purchase (purchases halve);
 * - the demo request form sends `form_id` as a number, which the contract rejects.
 */

const HOUR = 3_600_000;
export const GOOD_RELEASE = 'v1.8.0';
export const BAD_RELEASE = 'v1.9.0';
export const LEAD_ISSUE = 'lead_submitted.form_id: Invalid input: expected string, received number';

/** How busy an hour of the (UTC) day is, 0 to 1. */
const busy = (hourOfDay: number) => 0.25 + 0.75 * Math.max(0, Math.sin(((hourOfDay - 5) / 24) * 2 * Math.PI));

/** A repeatable wobble for hour `index`, between 0.85 and 1.15. */
const wobble = (index: number) => 0.85 + ((Math.imul(index + 1, 2654435761) >>> 0) % 1000) / 1000 * 0.3;

export function simulatedFortnight(now: number): StatsUpdate[] {
  const current = now - (now % HOUR);
  const goodRelease = current - 9 * 24 * HOUR;
  const badRelease = current - 28 * HOUR;
  const updates: StatsUpdate[] = [];
  for (let hour = current - 14 * 24 * HOUR; hour <= current; hour += HOUR) {
    const index = (hour / HOUR) | 0;
    const load = busy(new Date(hour).getUTCHours()) * wobble(index);
    const release = hour >= badRelease ? BAD_RELEASE : hour >= goodRelease ? GOOD_RELEASE : 'v1.7.2';
    const broken = release === BAD_RELEASE;
    const seen = { last_seen: String(Math.min(hour + HOUR - 1, now)) };
    const row = (event: string, counts: Record<string, number>): void => {
      if (Object.values(counts).some((n) => n > 0)) updates.push({ hour, event, release, source: 'client', counts, notes: seen });
    };
    const purchases = Math.round(6 * load);
    const reported = broken ? Math.floor(purchases / 2) : purchases;
    row('purchase_completed', { received: reported, accepted: reported, 'dest:ga4:delivered': reported, 'dest:meta:delivered': reported, 'dest:meta:key:em': reported, 'dest:meta:key:fbp': Math.round(reported * 0.8) });
    const leads = Math.round(3 * load);
    row('lead_submitted', broken
      ? { received: leads, rejected: leads, 'rejected:invalid_payload': leads, [`issue:${LEAD_ISSUE}`]: leads }
      : { received: leads, accepted: leads, 'dest:ga4:delivered': leads });
    if (index % 7 === 0) row('newsletter_signup', { received: 1, accepted: 1, 'dest:ga4:delivered': 1 });
    const starts = Math.round(14 * load);
    row('form_started', { received: starts, accepted: starts, 'dest:ga4:delivered': starts });
    const clicks = Math.round(30 * load);
    row('cta_clicked', { received: clicks, accepted: clicks, 'dest:ga4:delivered': clicks });
  }
  return updates;
}
