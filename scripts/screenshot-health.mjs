#!/usr/bin/env node
// node scripts/screenshot-health.mjs: serves the demo's collector (stories/demo/server/collector.ts,
// whose stats start with a simulated fortnight) on 127.0.0.1, opens its health page in Debian's
// chromium with the demo token, and writes docs/health.png for the README. Screenshots are for
// people; no test compares them.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const { createServer: createVite } = await import('vite');
const vite = await createVite({
  configFile: false,
  logLevel: 'silent',
  server: { middlewareMode: true, hmr: false, watch: null },
  appType: 'custom',
  resolve: { alias: [{ find: /^conversion-kit\/(core|server)$/, replacement: fileURLToPath(new URL('../src/$1/index.ts', import.meta.url)) }] },
});
const output = fileURLToPath(new URL('../docs/health.png', import.meta.url));
let server;
let browser;
try {
  const module = await vite.ssrLoadModule(fileURLToPath(new URL('../stories/demo/server/collector.ts', import.meta.url)));
  server = createServer(module.createDemoCollector().collect);
  const port = await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const page = await browser.newPage({
    viewport: { width: 1160, height: 700 },
    deviceScaleFactor: 1,
    extraHTTPHeaders: { authorization: `Bearer ${module.DEMO_HEALTH_TOKEN}` },
  });
  const response = await page.goto(`http://127.0.0.1:${port}/api/collect/health`);
  if (response?.status() !== 200) throw new Error(`the health page answered ${response?.status()}`);
  // The summary, the table and the first event's details: what the README shows.
  const box = await page.locator('#h-lead_submitted').boundingBox();
  await page.screenshot({ path: output, fullPage: true, clip: { x: 0, y: 0, width: 1160, height: Math.ceil((box?.y ?? 640) - 8) } });
  console.log(`Wrote ${output}`);
} finally {
  await browser?.close();
  server?.closeAllConnections();
  server?.close();
  await vite.close();
}
