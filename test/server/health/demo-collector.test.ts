import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthReport } from 'conversion-kit/server';
import { createDemoCollector, DEMO_HEALTH_TOKEN } from '../../../stories/demo/server/collector';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

const listen = (http: Server) =>
  new Promise<string>((resolve) => http.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(http.address() as { port: number }).port}`)));

/** The demo collector on 127.0.0.1, as .storybook/main.ts mounts it for `npm start` (at /api/collect). */
async function serveDemo() {
  const demo = createDemoCollector();
  server = createServer(demo.collect);
  return new URL('/api/collect/health', await listen(server)).href;
}

describe('the demo collector (npm start)', () => {
  it('serves its live health page with the documented demo token', async () => {
    const url = await serveDemo();
    expect((await fetch(url, { headers: { accept: 'text/html' } })).status).toBe(401);
    const response = await fetch(url, { headers: { accept: 'text/html', authorization: `Basic ${btoa(`demo:${DEMO_HEALTH_TOKEN}`)}` } });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toMatch(/data-event="purchase_completed" data-status="dropped"/);
    expect(page).toMatch(/data-event="lead_submitted" data-status="invalid_rising"/);
  });

  it('answers the report as JSON, with the simulated fortnight behind it', async () => {
    const url = await serveDemo();
    const response = await fetch(url, { headers: { authorization: `Bearer ${DEMO_HEALTH_TOKEN}` } });
    const report = (await response.json()) as HealthReport;
    expect(report.releases.map((r) => r.release)).toEqual(['v1.8.0', 'v1.9.0']);
    expect(report.events.map((e) => e.status)).toEqual(['dropped', 'invalid_rising', 'recording', 'recording', 'recording']);
  });
});
