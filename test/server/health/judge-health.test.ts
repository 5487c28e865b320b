import { describe, expect, it } from 'vitest';
import { judgeHealth, healthRange } from '../../../src/server/health/judge-health';
import type { HealthThresholds } from '../../../src/server/health/health-report';
import { memoryStatsStore } from '../../../src/server/stats/memory-stats-store';
import { HOUR_MS, hourOf } from '../../../src/server/stats/stats-store';
import { contract } from '../../fixtures/contract';
import { DAY_MS, NOW, ok, simulate, type Traffic } from './fortnight';

async function judge(traffic: Traffic[], thresholds?: Partial<HealthThresholds>, now = NOW) {
  const store = memoryStatsStore({ now: () => now });
  await simulate(store, ...traffic);
  return judgeHealth(await store.read(healthRange(now)), { contract, now, ...(thresholds && { thresholds }) });
}
const eventOf = (report: Awaited<ReturnType<typeof judge>>, name: string) => report.events.find((e) => e.event === name)!;
/** The hour a release went out, `hours` before NOW's hour. */
const hoursAgo = (hours: number) => hourOf(NOW) - hours * HOUR_MS;

describe('judgeHealth', () => {
  it('lists every event of the contract, conversions first', async () => {
    const report = await judge([]);
    expect(report.events.map((e) => e.event)).toEqual(['purchase_completed', 'lead_submitted', 'newsletter_signup', 'form_started', 'cta_clicked']);
    expect(report.events.map((e) => e.conversion)).toEqual([true, true, true, false, false]);
    expect(report.generatedAt).toBe('2026-12-04T16:30:00.000Z');
  });

  it('recording: steady volume, with the baseline and the change behind it', async () => {
    const purchase = eventOf(await judge([{ event: 'purchase_completed', counts: ok(2) }]), 'purchase_completed');
    expect(purchase.status).toBe('recording');
    expect(purchase.findings).toEqual([]);
    expect(purchase.last24h).toEqual({ received: 48, rejected: 0, duplicate: 0, unique: 48 });
    expect(purchase.baseline).toEqual({ perDay: 48, days: 7 });
    expect(purchase.change).toBe(0);
    expect(purchase.lastSeen).toBe(new Date(NOW).toISOString());
    expect(purchase.daily).toHaveLength(14);
    expect(purchase.daily.at(-1)).toEqual({ start: new Date(hoursAgo(23)).toISOString(), unique: 48, rejected: 0 });
    expect(purchase.check).toMatch(/^Nothing to check: 48 in the last 24 hours, a usual 48 a day/);
  });

  it('no_recent: none in the last 24 hours but some this week, at low volume; the report stays ok', async () => {
    const trickle = await judge([
      { event: 'newsletter_signup', counts: ok(1), from: hoursAgo(24 * 5), to: hoursAgo(24 * 5) + HOUR_MS },
      { event: 'newsletter_signup', counts: ok(1), from: hoursAgo(24 * 3), to: hoursAgo(24 * 3) + HOUR_MS },
    ]);
    const signup = eventOf(trickle, 'newsletter_signup');
    expect(signup.status).toBe('no_recent');
    expect(signup.lastSeen).toBe(new Date(hoursAgo(72) + HOUR_MS - 1).toISOString());
    expect(trickle.events.filter((e) => e.event !== 'newsletter_signup').every((e) => e.status === 'inactive')).toBe(true);
    // A busy signup (24 a day) that stopped 2 days ago is not "no recent": it dropped.
    const busy = await judge([{ event: 'newsletter_signup', counts: ok(1), to: hoursAgo(48) }]);
    expect(eventOf(busy, 'newsletter_signup').status).toBe('dropped');
  });

  it('inactive: never seen, or none for 7 days', async () => {
    const report = await judge([{ event: 'lead_submitted', counts: ok(1), from: NOW - 12 * DAY_MS, to: NOW - 8 * DAY_MS }]);
    const purchase = eventOf(report, 'purchase_completed');
    expect(purchase.status).toBe('inactive');
    expect(purchase.lastSeen).toBeNull();
    expect(purchase.check).toMatch(/^Never seen: check that the page .* calls track\('purchase_completed'\)/);
    const lead = eventOf(report, 'lead_submitted');
    expect(lead.status).toBe('inactive');
    expect(lead.lastSeen).not.toBeNull();
    expect(lead.check).toMatch(/^None for 7 days/);
    expect(report.ok).toBe(false);
  });

  it('dropped: the last 24 hours far below the usual day, naming the release after which it fell', async () => {
    const report = await judge([
      { event: 'purchase_completed', release: 'v41', counts: ok(4), to: hoursAgo(30) },
      { event: 'purchase_completed', release: 'v42', counts: ok(1), from: hoursAgo(30) },
    ]);
    const purchase = eventOf(report, 'purchase_completed');
    expect(purchase.status).toBe('dropped');
    expect(purchase.release).toBe('v42');
    expect(purchase.baseline).toEqual({ perDay: 96, days: 7 });
    expect(purchase.change).toBe(-0.75);
    expect(purchase.findings[0]!.message).toBe('24 purchase_completed in the last 24 hours against a usual 96 a day (-75%) since release v42.');
    expect(purchase.check).toMatch(/release v42 changed/);
    expect(report.releases).toEqual([{ release: 'v42', firstSeen: new Date(hoursAgo(30)).toISOString() }]);
    expect(purchase.releases.map((r) => r.release)).toEqual(['v42']);
  });

  it('dropped without a release when none came before the fall', async () => {
    const report = await judge([
      { event: 'purchase_completed', counts: ok(4), to: hoursAgo(30) },
      { event: 'purchase_completed', counts: ok(1), from: hoursAgo(30) },
    ]);
    const purchase = eventOf(report, 'purchase_completed');
    expect(purchase.status).toBe('dropped');
    expect(purchase.release).toBeNull();
    expect(purchase.check).toMatch(/the consent rate/);
  });

  it('dropped still shows three days into a fall: the baseline is a median, not a mean', async () => {
    const report = await judge([
      { event: 'purchase_completed', counts: ok(4), to: hoursAgo(3 * 24) },
      { event: 'purchase_completed', counts: ok(1), from: hoursAgo(3 * 24) },
    ]);
    expect(eventOf(report, 'purchase_completed').status).toBe('dropped');
  });

  it('low volume does not alarm: below minBaseline a fall to zero is no_recent', async () => {
    const few = [0, 2, 4, 6, 8, 10].map((day): Traffic => ({ event: 'lead_submitted', counts: ok(3), from: hoursAgo(30 + day * 24), to: hoursAgo(30 + day * 24) + HOUR_MS }));
    const lead = eventOf(await judge(few), 'lead_submitted');
    expect(lead.status).toBe('no_recent');
    expect(eventOf(await judge(few, { minBaseline: 1 }), 'lead_submitted').status).toBe('dropped');
  });

  it('spiking: far above the usual day', async () => {
    const report = await judge([
      { event: 'purchase_completed', release: 'v41', counts: ok(2), to: hoursAgo(20) },
      { event: 'purchase_completed', release: 'v42', counts: ok(6), from: hoursAgo(20) },
    ]);
    const purchase = eventOf(report, 'purchase_completed');
    expect(purchase.status).toBe('spiking');
    expect(purchase.release).toBe('v42');
    // The last 24 hours are 3 hours at 2 and 21 at 6 (the current hour included).
    expect(purchase.change).toBeCloseTo((3 * 2 + 21 * 6) / 48 - 1);
  });

  it('spiking: a duplicate share above the threshold, but not the duplicates of events both browser and server report', async () => {
    const doubled = eventOf(await judge([{ event: 'purchase_completed', counts: { received: 4, accepted: 3, duplicate: 1 }, from: hoursAgo(23) }]), 'purchase_completed');
    expect(doubled.status).toBe('spiking');
    expect(doubled.findings[0]!.message).toBe('25% of valid purchase_completed reports in the last 24 hours were duplicates.');
    const hybrid = eventOf(
      await judge([{ event: 'purchase_completed', counts: { received: 4, accepted: 3, duplicate: 1, seen_both: 1, seen_both_deduplicated: 1 }, from: hoursAgo(23) }]),
      'purchase_completed',
    );
    expect(hybrid.status).toBe('recording');
  });

  it('invalid_rising: a release whose payload the contract rejects, with the top issue path', async () => {
    const report = await judge([
      { event: 'lead_submitted', release: 'v41', counts: ok(2), to: hoursAgo(10) },
      {
        event: 'lead_submitted',
        release: 'v42',
        from: hoursAgo(10),
        counts: { received: 2, accepted: 1, rejected: 1, 'rejected:invalid_payload': 1, 'issue:lead_submitted.form_id: expected string': 1 },
      },
    ]);
    const lead = eventOf(report, 'lead_submitted');
    expect(lead.status).toBe('invalid_rising');
    expect(lead.release).toBe('v42');
    expect(lead.topIssue).toEqual({ message: 'lead_submitted.form_id: expected string', count: 11 });
    expect(lead.findings[0]!.message).toBe(
      '23% of lead_submitted reports rejected in the last 24 hours since release v42; top issue: lead_submitted.form_id: expected string (11).',
    );
    expect(lead.releases.find((r) => r.release === 'v42')!.counts).toEqual({ received: 22, rejected: 11, duplicate: 0, unique: 11 });
  });

  it('invalid_rising from one release on a canary, while the overall share stays low', async () => {
    const report = await judge([
      { event: 'purchase_completed', release: 'v41', counts: ok(20) },
      { event: 'purchase_completed', release: 'v42-canary', from: hoursAgo(5), counts: { received: 3, accepted: 1, rejected: 2, 'issue:purchase_completed.value: expected number': 2 } },
    ]);
    const purchase = eventOf(report, 'purchase_completed');
    expect(purchase.last24h.rejected / purchase.last24h.received).toBeLessThan(0.05);
    expect(purchase.status).toBe('invalid_rising');
    expect(purchase.release).toBe('v42-canary');
    expect(purchase.topIssue?.message).toBe('purchase_completed.value: expected number');
  });

  it('delivery_failing: a destination failing above the rate, with its last error', async () => {
    const report = await judge([
      { event: 'purchase_completed', counts: { ...ok(4), 'dest:ga4:delivered': 4, 'dest:meta:delivered': 4 }, to: hoursAgo(6) },
      {
        event: 'purchase_completed',
        from: hoursAgo(6),
        counts: { received: 4, accepted: 2, failed: 2, 'dest:ga4:delivered': 4, 'dest:meta:delivered': 2, 'dest:meta:failed_retryable': 2 },
        notes: { 'last_error:meta': 'meta-conversions-api: graph.facebook.com answered 401' },
      },
    ]);
    const purchase = eventOf(report, 'purchase_completed');
    expect(purchase.status).toBe('delivery_failing');
    const meta = purchase.destinations.find((d) => d.destination === 'meta')!;
    expect(meta).toMatchObject({ delivered: 82, failed: 14, failedRetryable: 14, lastError: 'meta-conversions-api: graph.facebook.com answered 401' });
    expect(meta.failureRate).toBeCloseTo(14 / 96);
    expect(purchase.destinations.find((d) => d.destination === 'ga4')!.failureRate).toBe(0);
    expect(purchase.check).toContain('last error: meta-conversions-api: graph.facebook.com answered 401');
  });

  it('precedence: invalid payloads come before the drop they cause; every finding is listed', async () => {
    const report = await judge([
      { event: 'purchase_completed', counts: ok(4), to: hoursAgo(30) },
      { event: 'purchase_completed', release: 'v42', from: hoursAgo(30), counts: { received: 4, accepted: 1, rejected: 3, 'issue:purchase_completed.value: expected number': 3 } },
    ]);
    const purchase = eventOf(report, 'purchase_completed');
    expect(purchase.status).toBe('invalid_rising');
    expect(purchase.findings.map((f) => f.status)).toEqual(['invalid_rising', 'dropped']);
    expect(purchase.findings.every((f) => f.release === 'v42')).toBe(true);
    expect(report.ok).toBe(false);
  });

  it('thresholds are options: a looser dropBelow accepts the same fall', async () => {
    const traffic: Traffic[] = [
      { event: 'purchase_completed', counts: ok(4), to: hoursAgo(30) },
      { event: 'purchase_completed', counts: ok(1), from: hoursAgo(30) },
    ];
    const report = await judge(traffic, { dropBelow: 0.2 });
    expect(eventOf(report, 'purchase_completed').status).toBe('recording');
    expect(report.thresholds.dropBelow).toBe(0.2);
    expect(report.thresholds.spikeAbove).toBe(2);
    expect(() => judgeHealth([], { contract, thresholds: { dropbelow: 0.2 } as never })).toThrow(/unknown threshold "dropbelow"/);
    expect(() => judgeHealth([], { contract, thresholds: { dropBelow: -1 } })).toThrow(/dropBelow must be a number/);
  });

  it('a new event has no baseline yet and is not judged on volume', async () => {
    const purchase = eventOf(await judge([{ event: 'purchase_completed', counts: ok(9), from: hoursAgo(20) }]), 'purchase_completed');
    expect(purchase.baseline).toBeNull();
    expect(purchase.change).toBeNull();
    expect(purchase.status).toBe('recording');
  });
});
