#!/usr/bin/env node
// Smoke test of the packed package in a Vite app on React 18 (examples/vite-react18, which is the
// README's quick start): install the tarball, `tsc` with @types/react 18 (strict, no skipLibCheck),
// `vite build`, then in Debian's chromium submit the form and pay against a stand-in API and check
// that each conversion reached the dataLayer once (StrictMode is on).
// Run after the build (`npm run build`). Usage: node scripts/check-vite.mjs
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { installExample, root } from './pack.mjs';
import { serveStatic } from './static-server.mjs';

const example = join(root, 'examples/vite-react18');
const run = (bin, args) => execFileSync(join(example, 'node_modules/.bin', bin), args, { cwd: example, stdio: 'inherit' });
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

installExample(example);
run('tsc', ['-p', '.']);
run('vite', ['build', '--logLevel', 'warn']);
console.log(`tsc and vite build passed (${seconds()})`);

const answer = (res, status, body) => {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
};
const app = await serveStatic(join(example, 'dist'), {
  routes: {
    '/api/leads': (req, res) => answer(res, 201, { ok: true }),
    '/api/carts/cart-1/pay': (req, res) => answer(res, 200, { order_id: 'A-1001', value: 129, currency: 'EUR' }),
    '/api/collect': (req, res) => answer(res, 200, { accepted: 0 }),
  },
});
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const failures = [];
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(app.url);
  await page.getByRole('textbox', { name: 'Work email' }).fill('jane@example.com');
  await page.getByRole('button', { name: 'Request a demo' }).click();
  await page.locator('form[data-state="success"]').waitFor({ timeout: 10_000 });
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.locator('[data-track-checkout][data-state="success"]').waitFor({ timeout: 10_000 });
  const events = await page.evaluate(() =>
    (window.dataLayer ?? []).map((entry) => entry?.event).filter((event) => typeof event === 'string'),
  );
  const count = (name) => events.filter((event) => event === name).length;
  if (count('lead_submitted') !== 1) failures.push(`lead_submitted reached the dataLayer ${count('lead_submitted')} times`);
  if (count('purchase_completed') !== 1) failures.push(`purchase_completed reached the dataLayer ${count('purchase_completed')} times`);
  if (errors.length) failures.push(`page errors: ${errors.join('; ')}`);
  if (failures.length) failures.push(`dataLayer events: ${JSON.stringify(events)}`);
} finally {
  await browser.close();
  await app.close();
}
if (failures.length) {
  console.log(`FAIL examples/vite-react18\n${failures.join('\n')}`);
  process.exit(1);
}
console.log(`ok   examples/vite-react18: React 18 types and runtime, one conversion each (${seconds()})`);
