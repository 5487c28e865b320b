// Measures the demo as a newcomer meets it: `storybook dev` from a cold cache, then the time until
// the first story has rendered in chromium, the time of each story on a full page load, the
// manager's console errors, whether Storybook's onboarding checklist shows, and where the demo's
// "Accepted by the server" column lies in a 1440x900 window: its bounding box, measured in chromium,
// must lie within the viewport (visible without scrolling) in the main demo story.
// Usage: node scripts/storybook-timing.mjs   (prints one JSON object)
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const STORIES = ['lead-form--success', 'checkout--confirmed', 'thank-you-page--with-handoff'];

const port = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
// Cold: no pre-bundled dependencies, no Storybook cache.
rmSync(`${root}node_modules/.cache/storybook`, { recursive: true, force: true });
rmSync(`${root}node_modules/.vite`, { recursive: true, force: true });
rmSync(`${root}node_modules/.cache/sb-vite`, { recursive: true, force: true });

const started = Date.now();
const storybook = spawn(`${root}node_modules/.bin/storybook`, ['dev', '-p', String(port), '--ci', '--no-open', '--exact-port', '--no-version-updates', '--host', '127.0.0.1'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
storybook.stdout.on('data', (chunk) => (output += chunk));
storybook.stderr.on('data', (chunk) => (output += chunk));
const base = `http://127.0.0.1:${port}`;
for (;;) {
  try {
    if ((await fetch(base)).ok) break;
  } catch {
    // not up yet
  }
  if (Date.now() - started > 120_000) throw new Error(`storybook dev did not start:\n${output}`);
  await new Promise((resolve) => setTimeout(resolve, 200));
}
const serverReadyMs = Date.now() - started;

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const result = { serverReadyMs };
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = [];
  // Storybook stores whose first answer came after their follower's 1 s wait (see .storybook/manager.tsx).
  const answeredLate = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text().slice(0, 160));
    else if (message.type() === 'info' && message.text().startsWith('[conversion-kit demo]')) answeredLate.push(/"([^"]+)"/.exec(message.text())?.[1]);
  });
  page.on('pageerror', (error) => errors.push(String(error).slice(0, 160)));
  const storyRendered = async (id) => {
    await page.goto(`${base}/?path=/story/${id}`);
    const frame = page.frameLocator('#storybook-preview-iframe');
    await frame.locator('#storybook-root > *').first().waitFor({ timeout: 120_000 });
  };
  const first = Date.now();
  await storyRendered(STORIES[0]);
  result.coldFirstStoryMs = Date.now() - started;
  result.firstStoryAfterServerMs = Date.now() - first;
  result.perStoryFullLoadMs = {};
  for (const id of STORIES) {
    const at = Date.now();
    await storyRendered(id);
    result.perStoryFullLoadMs[id] = Date.now() - at;
  }
  await page.waitForTimeout(3000);
  result.onboardingChecklistShown = (await page.getByText(/get started/i).count()) > 0;
  // The main demo story, played to its end: where its server column is, in the page's coordinates.
  await storyRendered(STORIES[0]);
  const preview = page.frameLocator('#storybook-preview-iframe');
  const acceptance = preview.getByRole('region', { name: 'Accepted by the server' });
  await preview.getByText('Accepted', { exact: true }).first().waitFor({ timeout: 60_000 });
  // Page coordinates; the preview iframe clips what lies past its own bottom (the addon panel sits
  // below it), so the column must lie within the iframe's box as well as the window.
  const box = await acceptance.boundingBox();
  const frameBox = await page.locator('#storybook-preview-iframe').boundingBox();
  const round = (b) => b && { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) };
  const within = (inner, outer) =>
    inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
  result.serverColumnBox = round(box);
  result.previewFrameBox = round(frameBox);
  result.serverColumnVisible =
    box !== null && frameBox !== null && within(box, { x: 0, y: 0, width: 1440, height: 900 }) && within(box, frameBox);
  // Probes still running have PROBE_MS (15 s) to answer, or log their error.
  await page.waitForTimeout(15_000);
  result.consoleErrors = errors;
  result.storesAnsweredLate = answeredLate.length;
} finally {
  await browser.close();
  storybook.kill();
}
result.lateDependencies = output.split('\n').filter((line) => /optimiz|new dependencies|reload/i.test(line)).map((line) => line.trim()).slice(0, 10);
console.log(JSON.stringify(result, null, 2));
process.exit(0);
