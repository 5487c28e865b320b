import { describe, expect, it } from 'vitest';
import { HOUR_MS, hourOf } from '../../../src/server/stats/stats-store';
import { memoryStatsStore } from '../../../src/server/stats/memory-stats-store';

const T0 = Date.parse('2026-12-04T16:00:00Z');
const row = (hour: number, counts: Record<string, number>, extra: object = {}) => ({ hour, event: 'purchase_completed', release: 'v1', source: 'client' as const, counts, ...extra });

describe('memoryStatsStore', () => {
  it('sums counts of the same hour, event, release and source, and keeps the others apart', async () => {
    const stats = memoryStatsStore({ now: () => T0 });
    await stats.add([row(T0, { received: 2, accepted: 1 }), row(T0, { received: 1, 'dest:ga4:delivered': 1 })]);
    await stats.add([row(T0, { received: 5 }, { release: 'v2' }), row(T0, { received: 1 }, { source: 'server' })]);
    const rows = await stats.read({ from: T0, to: T0 });
    const v1 = rows.find((r) => r.release === 'v1' && r.source === 'client');
    expect(v1?.counts).toEqual({ received: 3, accepted: 1, 'dest:ga4:delivered': 1 });
    expect(rows.find((r) => r.release === 'v2')?.counts).toEqual({ received: 5 });
    expect(rows.find((r) => r.source === 'server')?.counts).toEqual({ received: 1 });
  });

  it('reads only the hours asked for, and the last value of each note', async () => {
    const stats = memoryStatsStore({ now: () => T0 });
    await stats.add([row(T0 - 2 * HOUR_MS, { received: 1 }), row(T0 - HOUR_MS, { received: 1 }, { notes: { 'last_error:ga4': 'answered 500' } })]);
    await stats.add([row(T0 - HOUR_MS, { received: 1 }, { notes: { 'last_error:ga4': 'answered 503' } })]);
    const rows = await stats.read({ from: T0 - HOUR_MS, to: T0 });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.notes).toEqual({ 'last_error:ga4': 'answered 503' });
  });

  it('drops hours older than the retention', async () => {
    let now = T0;
    const stats = memoryStatsStore({ now: () => now, retentionMs: 24 * HOUR_MS });
    await stats.add([row(T0, { received: 1 })]);
    now = T0 + 26 * HOUR_MS;
    await stats.add([row(hourOf(now), { received: 1 })]);
    expect(await stats.read({ from: 0, to: now })).toHaveLength(1);
  });

  it('keeps at most maxRows rows, dropping the oldest hours first', async () => {
    const stats = memoryStatsStore({ now: () => T0, maxRows: 3 });
    for (let i = 5; i >= 0; i--) await stats.add([row(T0 - i * HOUR_MS, { received: 1 })]);
    const hours = (await stats.read({ from: 0, to: T0 })).map((r) => r.hour).sort();
    expect(hours).toEqual([T0 - 2 * HOUR_MS, T0 - HOUR_MS, T0]);
  });

  it('bounds the distinct issue counters of a row, and is not fooled by a __proto__ issue', async () => {
    const stats = memoryStatsStore({ now: () => T0 });
    const counts = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`issue:purchase_completed.f${i}: required`, 1]));
    await stats.add([row(T0, { rejected: 40, ...counts }), row(T0, JSON.parse('{"__proto__": 1, "rejected": 1}'))]);
    const [only] = await stats.read({ from: T0, to: T0 });
    expect(Object.keys(only?.counts ?? {}).filter((name) => name.startsWith('issue:'))).toHaveLength(20);
    expect(only?.counts.rejected).toBe(41);
    expect(({} as Record<string, unknown>).rejected).toBeUndefined();
  });

  it('hourOf rounds down to the UTC hour', () => {
    expect(hourOf(Date.parse('2026-12-04T16:42:10Z'))).toBe(T0);
    expect(hourOf(T0)).toBe(T0);
  });
});
