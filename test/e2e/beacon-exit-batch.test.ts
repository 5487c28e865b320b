import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Envelope } from 'conversion-kit/core';
import { createCollector, memoryDedupeStore, toNodeHandler } from 'conversion-kit/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import { bundlePage } from './bundle-page';
import { contract } from '../fixtures/contract';

let browser: Browser;
let script: string;
let server: Server | undefined;
beforeAll(async () => {
  [browser, script] = await Promise.all([chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }), bundlePage('exit-batch.ts', 'exitBatch')]);
});
afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  server?.close();
});

/**
 * The shop on 127.0.0.1 with the real collector (its default limits: 50 events, 64 KiB per request)
 * at /collect, answering 503 while `down`; what it forwards lands in `received`, what it answers in `answers`.
 */
async function shop() {
  const received: Envelope[] = [];
  const answers: number[] = [];
  const state = { down: true };
  const platform = { name: 'ga4', consent: 'none' as const, send: (envelope: Envelope) => void received.push(envelope) };
  const collect = toNodeHandler(createCollector({ contract, store: memoryDedupeStore(), destinations: [platform], allowedOrigins: '*' }));
  server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/collect') {
      response.on('finish', () => answers.push(response.statusCode));
      if (state.down) return void response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"unavailable"}}');
      return void collect(request, response);
    }
    const pages: Record<string, [string, string]> = {
      '/shop': ['text/html', '<!doctype html><html><head><meta charset="utf-8"><title>shop</title></head><body><script src="/exit-batch.js"></script></body></html>'],
      '/elsewhere': ['text/html', '<!doctype html><h1>Another site</h1>'],
      '/exit-batch.js': ['text/javascript', script],
    };
    const page = pages[path!];
    if (!page) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': page[0] }).end(page[1]);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, answers, state };
}

describe('exit batches in Debian chromium, real sendBeacon, real collector', () => {
  it('hands a backlog over the collector limit to several beacons within 64 KiB, conversions first, and the collector stores them', async () => {
    const { origin, received, answers, state } = await shop();
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(`${origin}/shop`);
    await tab.waitForSelector('body[data-state="ready"]', { state: 'attached' }); // an empty body is never "visible"
    // A short outage: 130 clicks wait (about 440 bytes each, more than 64 KiB together), then 5 orders.
    const ids = await tab.evaluate(() => {
      const { tracker } = window as unknown as { tracker: { track: (...args: unknown[]) => { eventId: string } } };
      const clicks = Array.from({ length: 130 }, (_, i) => tracker.track('cta_clicked', { cta_id: `cta-${i}-${'x'.repeat(120)}` }).eventId);
      const orders = Array.from({ length: 5 }, (_, i) => tracker.track('purchase_completed', { order_id: `EXIT-${i}`, value: 10 + i, currency: 'EUR' }).eventId);
      return { clicks, orders };
    });
    await vi.waitFor(() => expect(answers).toContain(503));
    state.down = false; // the collector is back; the page backs off for 10 minutes
    answers.length = 0;
    await tab.goto(`${origin}/elsewhere`); // the visitor leaves: pagehide
    await vi.waitFor(() => expect(received.length).toBeGreaterThanOrEqual(100), { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // any further beacon
    const stored = new Set(received.map((e) => e.eventId));
    expect(ids.orders.filter((id) => stored.has(id))).toEqual(ids.orders); // every conversion
    expect(answers.every((status) => status === 200)).toBe(true); // no batch refused (too_many_events)
    expect(received.length).toBeLessThan(135); // the rest did not fit the 64 KiB quota: it waits in storage
    await context.close();
  });
});
