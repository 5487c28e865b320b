#!/usr/bin/env node
// npm run screenshot [-- <story id>]: builds the Storybook, serves it with the demo's collector
// (the kit's createCollector at /api/collect, as `npm start` has), opens one story (the demo with the
// conversion debugger next to it) in Debian's chromium, lets its play function run until the
// collector accepted its conversion, and writes docs/debugger.png for the README. Screenshots are for
// people; no test compares them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { buildStorybook } from './build-storybook.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';

/** The demo collector is TypeScript: load it as the Storybook build does, with Vite. */
async function demoCollector() {
  const { createServer } = await import('vite');
  const vite = await createServer({
    configFile: false,
    logLevel: 'silent',
    server: { middlewareMode: true, hmr: false, watch: null },
    appType: 'custom',
    resolve: { alias: [{ find: /^conversion-kit\/(core|server)$/, replacement: fileURLToPath(new URL('../src/$1/index.ts', import.meta.url)) }] },
  });
  const module = await vite.ssrLoadModule(fileURLToPath(new URL('../stories/demo/server/collector.ts', import.meta.url)));
  return { collector: module.createDemoCollector(), close: () => vite.close() };
}

const story = process.argv[2] ?? 'campaign--paid-ad-then-convert-on-another-page';
const output = fileURLToPath(new URL('../docs/debugger.png', import.meta.url));

const dir = await mkdtemp(join(tmpdir(), 'conversion-kit-storybook-'));
let server;
let browser;
let loaded;
try {
  console.log('Building Storybook…');
  await buildStorybook(dir);
  loaded = await demoCollector();
  const { collector } = loaded;
  server = await serveStatic(dir, { routes: { '/api/collect': collector.collect, '/api/collect/accepted': collector.accepted } });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1180, height: 640 }, deviceScaleFactor: 1 });
  await page.goto(`${server.url}/iframe.html?id=${story}&viewMode=story`);
  // The play function runs by itself. Wait until it finished, the collector accepted every event the
  // story fired, and every sent event shows what its destination did ("Delivered to beacon").
  const waiting = { timeout: 30_000 };
  await page.waitForFunction(() => ['completed', 'finished'].includes(globalThis.__STORYBOOK_PREVIEW__?.currentRender?.phase), null, waiting);
  await page.locator('.demo-server:is([data-state="done"], [data-state="idle"])').waitFor(waiting);
  await page.waitForFunction(
    () => [...document.querySelectorAll('[role="log"] > ol > li')].every((item) => !item.textContent?.startsWith('Sent') || item.querySelector('[aria-label="Destinations"]')),
    null,
    waiting,
  );
  await page.mouse.move(0, 0);
  await page.evaluate(() => /** @type {HTMLElement | null} */ (document.activeElement)?.blur());
  const box = await page.locator('.demo-site').boundingBox();
  if (!box) throw new Error(`story ${story} renders no .demo-site`);
  const margin = 12;
  await page.screenshot({
    path: output,
    fullPage: true, // the demo column may be taller than the viewport
    clip: { x: Math.max(0, box.x - margin), y: Math.max(0, box.y - margin), width: box.width + 2 * margin, height: box.height + 2 * margin },
  });
  console.log(`Wrote ${output} (story ${story})`);
} finally {
  await browser?.close();
  await server?.close();
  await loaded?.close();
  await rm(dir, { recursive: true, force: true });
}
