import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventIdFor } from 'conversion-kit/core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import { bundlePage } from './bundle-page';
import { startCollector, type Collector, type CollectorOptions } from '../fixtures/collector';

const html = (body: string) => `<!doctype html><html><head><meta charset="utf-8"><title>shop</title></head><body>${body}<script src="/checkout.js"></script></body></html>`;

let browser: Browser;
let script: string;
let collector: Collector | undefined;
let context: BrowserContext | undefined;
let page: Page | undefined;

beforeAll(async () => {
  [browser, script] = await Promise.all([chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }), bundlePage('checkout.ts', 'checkout')]);
});
afterAll(() => browser?.close());
afterEach(async () => {
  await context?.close();
  context = page = undefined;
  await collector?.close();
  collector = undefined;
});

/** The shop on 127.0.0.1: a checkout page, a thank-you page (with the same tracker), and /collect. */
async function openShop(options: CollectorOptions = {}) {
  collector = await startCollector({
    ...options,
    routes: {
      '/checkout': { type: 'text/html', body: html('<button id="pay">Pay</button>') },
      '/thanks': { type: 'text/html', body: html('<h1>Thanks</h1>') },
      '/elsewhere': { type: 'text/html', body: '<!doctype html><h1>Another site</h1>' },
      '/checkout.js': { type: 'text/javascript', body: () => script },
    },
  });
  context = await browser.newContext();
  page = await context.newPage();
  await page.goto(`${collector.origin}/checkout?order=E2E-1`);
  await page.waitForSelector('body[data-state="ready"]');
  return { collector, page };
}

describe('beacon in Debian chromium', () => {
  it('delivers a conversion fired right before navigating away, by sendBeacon on pagehide', async () => {
    const { collector, page } = await openShop();
    await Promise.all([page.waitForURL('**/thanks'), page.click('#pay')]);
    await collector.waitForStored(1);
    const [request] = collector.requests;
    expect(request!.contentType).toMatch(/^text\/plain;charset=utf-8$/i); // sendBeacon's Blob, not the 10-minute timer's fetch
    expect(request!.events.map((e) => [e.event, e.eventId, e.payload])).toEqual([
      ['purchase_completed', eventIdFor('purchase_completed', 'E2E-1'), { order_id: 'E2E-1', value: 42, currency: 'EUR' }],
    ]);
  });

  it('delivers a conversion when the visitor leaves for another site at once', async () => {
    const { collector, page } = await openShop();
    await Promise.all([
      page.waitForURL('**/elsewhere'),
      page.evaluate(() => {
        (window as unknown as { tracker: { track: (...args: unknown[]) => unknown } }).tracker.track('purchase_completed', { order_id: 'E2E-2', value: 9, currency: 'EUR' });
        location.href = '/elsewhere';
      }),
    ]);
    await collector.waitForStored(1);
    expect([...collector.stored.keys()]).toEqual([eventIdFor('purchase_completed', 'E2E-2')]);
  });

  it('delivers a conversion when the tab is closed right after it', async () => {
    const { collector, page: tab } = await openShop();
    await tab.evaluate(() => {
      (window as unknown as { tracker: { track: (...args: unknown[]) => unknown } }).tracker.track('purchase_completed', { order_id: 'E2E-3', value: 9, currency: 'EUR' });
    });
    await tab.close({ runBeforeUnload: false });
    await collector.waitForStored(1);
    expect([...collector.stored.keys()]).toEqual([eventIdFor('purchase_completed', 'E2E-3')]);
  });

  it('resends from the next page when the collector failed the unload beacon, storing it once', async () => {
    const { collector, page } = await openShop({ faults: [503] });
    await Promise.all([page.waitForURL('**/thanks'), page.click('#pay')]);
    await collector.waitForStored(1);
    expect(collector.requests.map((r) => [r.contentType.toLowerCase(), r.answer])).toEqual([
      ['text/plain;charset=utf-8', 503],
      ['application/json', 200],
    ]);
    expect(collector.stored.size).toBe(1);
  });

  it('registers no unload or beforeunload listener, which would cost the back/forward cache', async () => {
    // This Chromium build reports BackForwardCacheDisabledByCommandLine, so a restore cannot be
    // observed; instead every listener the bundle adds is recorded before any page script runs.
    collector = await startCollector({ routes: { '/checkout': { type: 'text/html', body: html('<button id="pay">Pay</button>') }, '/checkout.js': { type: 'text/javascript', body: () => script } } });
    context = await browser.newContext();
    page = await context.newPage();
    await page.addInitScript(() => {
      const types: string[] = ((window as unknown as { listenerTypes: string[] }).listenerTypes = []);
      const add = EventTarget.prototype.addEventListener;
      EventTarget.prototype.addEventListener = function (this: EventTarget, type: string, ...rest: [never, never]) {
        if (this === window || this === document) types.push(type);
        return add.call(this, type, ...rest);
      };
    });
    await page.goto(`${collector.origin}/checkout`);
    await page.waitForSelector('body[data-state="ready"]');
    const types = await page.evaluate(() => (window as unknown as { listenerTypes: string[] }).listenerTypes);
    expect(types).toEqual(expect.arrayContaining(['pagehide', 'visibilitychange']));
    expect(types).not.toContain('unload');
    expect(types).not.toContain('beforeunload');
  });
});
