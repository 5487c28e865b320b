/**
 * `track()` of a purchase, side by side with Segment analytics-next's `track()` in the same run, in
 * Debian's Chromium (headless, through playwright-core): the same comparison as the jsdom bench
 * (bench/track-compare.ts), with the browser's own cookies and localStorage. Both libraries are
 * bundled with esbuild as an app would ship them (`NODE_ENV` production) and served from
 * 127.0.0.1; the network is stubbed in the page (every fetch answers 200 at once). ROUNDS (default
 * 25) interleaved rounds of BLOCK purchases (default 200); medians and their ratio.
 */
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs';
import type { TrackTimes } from './track-compare';
import { reportTrack } from './track-report';

const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 25));
const BLOCK = Number(process.env.BLOCK ?? 200);
// Run as node_modules/.cache/conversion-kit-bench/track-vs-segment-browser.mjs (scripts/bench.mjs).
const root = fileURLToPath(new URL('../../../', import.meta.url));

const bundle = await build({
  entryPoints: [`${root}bench/track-vs-segment.page.ts`],
  absWorkingDir: root,
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  define: { 'process.env.NODE_ENV': '"production"' },
  write: false,
  logLevel: 'warning',
});
const script = bundle.outputFiles[0]!.text;
const html = `<!doctype html><html><body data-options='${JSON.stringify({ rounds: ROUNDS, block: BLOCK })}'><script type="module" src="/bench.js"></script></body></html>`;
const server = createServer((request, response) => {
  const js = request.url === '/bench.js';
  response.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/html' }).end(js ? script : html);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as { port: number };

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`http://127.0.0.1:${port}/checkout/thanks`);
  const result = await page
    .waitForFunction(() => (window as { trackTimes?: unknown }).trackTimes, undefined, { timeout: 120_000 })
    .then((handle) => handle.jsonValue() as Promise<TrackTimes & { requests: number }>)
    .catch((error: unknown) => {
      throw new Error(`the page gave no figures: ${errors.join('; ') || String(error)}`);
    });
  const version = browser.version();
  reportTrack(`track() of a purchase vs Segment analytics-next track(), Chromium ${version}, same run (${ROUNDS} interleaved rounds of ${BLOCK}; load average ${loadavg()[0]!.toFixed(1)})`, result, BLOCK, result.requests);
} finally {
  await browser.close();
  server.close();
}
