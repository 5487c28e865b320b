import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCollector, memoryDedupeStore, memoryStatsStore, type HealthReport, type StatsStore } from 'conversion-kit/server';
import { HOUR_MS, hourOf } from '../../../src/server/stats/stats-store';
import { contract } from '../../fixtures/contract';
import { serveHandler } from '../platform';
import { NOW, ok, simulate } from './fortnight';

const TOKEN = 'health-token-for-tests-0123456789abcdef';
let server: { url: string; close(): Promise<void> } | undefined;

beforeEach(() => {
  // The simulated clock: only Date, so sockets and timers run as usual.
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

/** A collector whose stats hold a fortnight in which release v42 cut purchases to a quarter and broke lead payloads. */
async function serveFortnight(options: { healthToken?: string; stats?: StatsStore } = {}) {
  const stats = options.stats ?? memoryStatsStore({ now: () => NOW });
  const v42 = hourOf(NOW) - 30 * HOUR_MS;
  await simulate(
    stats,
    { event: 'purchase_completed', release: 'v41', counts: { ...ok(4), 'dest:meta:delivered': 4 }, to: v42 },
    { event: 'purchase_completed', release: 'v42', counts: { ...ok(1), 'dest:meta:delivered': 1 }, from: v42, notes: { 'last_error:meta': '<img src=x onerror=alert(1)>' } },
    { event: 'lead_submitted', release: 'v41', counts: ok(2), to: v42 },
    { event: 'lead_submitted', release: 'v42', from: v42, counts: { received: 2, rejected: 2, 'issue:lead_submitted.form_id: expected string': 2 } },
  );
  const collector = createCollector({ contract, store: memoryDedupeStore(), stats, ...(options.healthToken && { healthToken: options.healthToken }) });
  server = await serveHandler(collector);
  return { collector, url: new URL('/api/collect/health', server.url).href };
}

describe('the health route', () => {
  it('is off without healthToken: GET is refused as before', async () => {
    const { url } = await serveFortnight();
    const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(405);
    expect((await response.json()).error.code).toBe('method_not_allowed');
  });

  it('answers 401 without a token, with a Bearer challenge', async () => {
    const { url } = await serveFortnight({ healthToken: TOKEN });
    const response = await fetch(url);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="conversion-kit health"');
    expect((await response.json()).error).toEqual({ code: 'unauthorized', message: 'the health report needs the collector\'s healthToken, as "Authorization: Bearer <token>"' });
  });

  it('answers 401 to a wrong token, to one a character short, and to a token in the wrong scheme', async () => {
    const { url } = await serveFortnight({ healthToken: TOKEN });
    for (const authorization of [`Bearer ${TOKEN.replace('0', '1')}`, `Bearer ${TOKEN.slice(0, -1)}`, `Token ${TOKEN}`]) {
      const response = await fetch(url, { headers: { authorization } });
      expect(response.status, authorization).toBe(401);
      await response.body?.cancel();
    }
  });

  it('answers the report as JSON with the right token', async () => {
    const { url } = await serveFortnight({ healthToken: TOKEN });
    const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const report = (await response.json()) as HealthReport;
    expect(report.ok).toBe(false);
    expect(report.generatedAt).toBe(new Date(NOW).toISOString());
    expect(Object.fromEntries(report.events.map((e) => [e.event, e.status]))).toEqual({
      purchase_completed: 'dropped',
      lead_submitted: 'invalid_rising',
      newsletter_signup: 'inactive',
      form_started: 'inactive',
      cta_clicked: 'inactive',
    });
    expect(report.events[1]!.topIssue).toEqual({ message: 'lead_submitted.form_id: expected string', count: 48 });
  });

  it('answers on any path ending in /health, so it works wherever the collector is mounted', async () => {
    const { collector } = await serveFortnight({ healthToken: TOKEN });
    const response = await collector(new Request('https://shop.example/collect/health?x=1', { headers: { authorization: `Bearer ${TOKEN}` } }));
    expect(response.status).toBe(200);
    expect(((await response.json()) as HealthReport).events[0]!.status).toBe('dropped');
  });

  it('serves a page for Accept: text/html, escaped, with a sparkline per event and the release marked', async () => {
    const { url } = await serveFortnight({ healthToken: TOKEN });
    const refused = await fetch(url, { headers: { accept: 'text/html' } });
    // A browser asks for credentials: the token is the password.
    expect(refused.headers.get('www-authenticate')).toBe('Basic realm="conversion-kit health", charset="UTF-8"');
    await refused.body?.cancel();
    const response = await fetch(url, { headers: { accept: 'text/html,*/*', authorization: `Basic ${btoa(`health:${TOKEN}`)}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await response.text();
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<script');
    expect(page.match(/<svg class="sparkline"/g)).toHaveLength(5);
    expect(page).toContain('<title>release v42, ');
    expect(page).toMatch(/data-event="purchase_completed" data-status="dropped"/);
    expect(page).toMatch(/data-event="lead_submitted" data-status="invalid_rising"/);
    expect(page).toContain('3 conversions need attention: purchase_completed (dropped), lead_submitted (invalid rising), newsletter_signup (inactive).');
  });

  it('answers 503 when the stats store cannot be read', async () => {
    const broken: StatsStore = { add: () => {}, read: () => Promise.reject(new Error('redis: connection refused')) };
    const { url } = await serveFortnight({ healthToken: TOKEN, stats: broken });
    const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(503);
    expect((await response.json()).error).toEqual({ code: 'stats_unavailable', message: 'the stats store could not be read: redis: connection refused' });
  });

  it('refuses a short token when the collector is created', () => {
    expect(() => createCollector({ contract, store: memoryDedupeStore(), healthToken: 'secret' })).toThrow(
      '[conversion-kit] createCollector: healthToken: the token must be a string of at least 32 characters',
    );
  });

  it('collector.health() judges the collector\'s own stats at the time given', async () => {
    const stats = memoryStatsStore({ now: () => NOW });
    await simulate(stats, { event: 'purchase_completed', counts: ok(2) });
    const collector = createCollector({ contract, store: memoryDedupeStore(), stats });
    expect((await collector.health()).events[0]!.status).toBe('recording');
    expect((await collector.health({ now: NOW + 3 * 24 * HOUR_MS })).events[0]!.status).toBe('dropped');
    expect((await collector.health({ now: NOW + 8 * 24 * HOUR_MS })).events[0]!.status).toBe('inactive');
  });
});
