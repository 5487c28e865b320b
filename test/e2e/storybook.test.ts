import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildStorybook } from '../../scripts/build-storybook.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import { serveStatic } from '../../scripts/static-server.mjs';
import { createStandInCollector, type StandInCollector } from '../../stories/demo/server/collector';

/**
 * The built Storybook, served by a small node server on 127.0.0.1 with a collector at /api/collect,
 * in Debian's chromium.
 *
 * LEAD, when `beacon` and `createCollector` are merged:
 * - the stories send through the real beacon once stories/demo/tracker.ts `demoDestinations()`
 *   returns it; nothing changes here for that;
 * - replace `createStandInCollector()` below with the real one, e.g.
 *   `createCollector({ contract, store: memoryDedupeStore(), destinations: [recorder] })` mounted with
 *   `toNodeHandler(...)`, where `recorder` collects what it accepted for the assertions below.
 */

let dir: string;
let site: { url: string; close: () => Promise<void> };
let browser: Browser;
let collector: StandInCollector;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'conversion-kit-e2e-'));
  await buildStorybook(dir);
  collector = createStandInCollector();
  site = await serveStatic(dir, { routes: { '/api/collect': (req, res) => collector.handle(req, res) } });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a built Storybook in chromium', () => {
  it('delivers a conversion to the collector when the visitor leaves the page right after converting', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/iframe.html?id=lead-form--playground&viewMode=story`);
    await page.getByLabel('Full name').fill('Ada Lovelace');
    await page.getByLabel('Work email').fill('ada@example.com');
    await page.getByRole('button', { name: 'Request a demo' }).click();
    // The conversion fires in the same commit that shows the success: leave at once, do not wait.
    await page.getByText('Thanks! We will email you within one business day.').waitFor();
    await page.goto('about:blank');
    await page.close();

    await vi.waitFor(() => expect(collector.accepted.map((envelope) => envelope.event)).toContain('lead_submitted'), {
      timeout: 5_000,
    });
    const lead = collector.accepted.find((envelope) => envelope.event === 'lead_submitted')!;
    expect(lead).toMatchObject({
      payload: { form_id: 'demo-request', lead_id: 'lead-1', plan: 'team' },
      dedupeKey: 'lead-1',
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
});
