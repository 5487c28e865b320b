#!/usr/bin/env node
// npm run screenshot [-- <story id>]: builds the Storybook, opens one story (the demo with the
// conversion debugger next to it) in Debian's chromium, lets its play function run, and writes
// docs/debugger.png for the README. Screenshots are for people; no test compares them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { buildStorybook } from './build-storybook.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';

const story = process.argv[2] ?? 'campaign--paid-ad-then-convert-on-another-page';
const output = fileURLToPath(new URL('../docs/debugger.png', import.meta.url));

const dir = await mkdtemp(join(tmpdir(), 'conversion-kit-storybook-'));
let server;
let browser;
try {
  console.log('Building Storybook…');
  await buildStorybook(dir);
  server = await serveStatic(dir);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1180, height: 640 }, deviceScaleFactor: 1 });
  await page.goto(`${server.url}/iframe.html?id=${story}&viewMode=story`);
  // The play function runs by itself; wait until the debugger shows a conversion that was sent.
  await page.getByRole('log', { name: 'Decisions' }).getByText(/^Sent$/).last().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(500);
  await page.mouse.move(0, 0);
  await page.evaluate(() => /** @type {HTMLElement | null} */ (document.activeElement)?.blur());
  const box = await page.locator('.demo-site').boundingBox();
  if (!box) throw new Error(`story ${story} renders no .demo-site`);
  const margin = 12;
  await page.screenshot({
    path: output,
    clip: { x: Math.max(0, box.x - margin), y: Math.max(0, box.y - margin), width: box.width + 2 * margin, height: box.height + 2 * margin },
  });
  console.log(`Wrote ${output} (story ${story})`);
} finally {
  await browser?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
}
