import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildStorybook } from '../../scripts/build-storybook.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import { serveStatic } from '../../scripts/static-server.mjs';
import { createDemoCollector, type DemoCollector } from '../../stories/demo/server/collector';

/**
 * The built Storybook, served by a small node server on 127.0.0.1 with the kit's collector at
 * /api/collect (`toNodeHandler(createCollector(...))` with a recording server destination, the same
 * routes `npm start` mounts), in Debian's chromium.
 */

let dir: string;
let site: { url: string; close: () => Promise<void> };
let browser: Browser;
let collector: DemoCollector;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'conversion-kit-e2e-'));
  await buildStorybook(dir);
  collector = createDemoCollector();
  site = await serveStatic(dir, { routes: { '/api/collect': collector.collect, '/api/collect/accepted': collector.accepted } });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** What the collector forwarded to its recording destination: each event it accepted, once. */
const arrived = (event: string) => collector.recorder.received.filter((accepted) => accepted.envelope.event === event);

describe('a built Storybook in chromium', () => {
  it('delivers a conversion to the collector when the visitor leaves the page right after converting', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/iframe.html?id=lead-form--playground&viewMode=story`);
    await page.getByLabel('Full name').fill('Ada Lovelace');
    await page.getByLabel('Work email').fill('ada@example.com');
    // The beacon batches for a second after the first event (form_started); once that batch is in,
    // the lead waits alone for its own second, which the page never lives to see.
    await vi.waitFor(() => expect(arrived('form_started')).toHaveLength(1), { timeout: 5_000 });
    await page.getByRole('button', { name: 'Request a demo' }).click();
    // The conversion fires in the same commit that shows the success: leave at once, do not wait.
    await page.getByText('Thanks! We will email you within one business day.').waitFor();
    await page.goto('about:blank');
    await page.close();

    // Only the beacon the page sends as it goes (pagehide) can have carried it.
    await vi.waitFor(() => expect(arrived('lead_submitted')).toHaveLength(1), { timeout: 5_000 });
    const [lead] = arrived('lead_submitted');
    expect(lead!.envelope).toMatchObject({
      payload: { form_id: 'demo-request', lead_id: expect.stringMatching(/^lead-\w{4}-1$/), plan: 'team' },
      dedupeKey: lead!.envelope.payload.lead_id,
      conversion: true,
      source: 'client',
    });
  });

  it('shows the records of the story in view in the Conversions panel', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${site.url}/?path=/story/checkout--invalid-payload`);
    const panel = page.locator('#storybook-panel-root');
    await page.getByRole('tab', { name: 'Conversions' }).click();
    await expect
      .poll(() => panel.innerText(), { timeout: 20_000 })
      .toMatch(/Rejected · purchase_completed[^\n]*\n[^\n]*value: Invalid input: expected number, received string/);
    await page.close();
  });

  it('shows in the Conversions panel what the collector accepted', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${site.url}/?path=/story/checkout--confirmed`);
    const panel = page.locator('#storybook-panel-root');
    await page.getByRole('tab', { name: 'Conversions' }).click();
    await expect
      .poll(() => panel.innerText(), { timeout: 20_000 })
      .toMatch(/Server[^\n]*\n[^\n]*Accepted · purchase_completed · 135\.00 EUR · order_id A-\w{4}/);
    await page.close();
  });
});
