import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCollector, memoryDedupeStore, memoryStatsStore } from 'conversion-kit/server';
import { health } from '../../src/cli/health';
import { HOUR_MS, hourOf } from '../../src/server/stats/stats-store';
import { contract } from '../fixtures/contract';
import { NOW, ok, simulate, type Traffic } from '../server/health/fortnight';
import { serveHandler } from '../server/platform';

const TOKEN = 'health-token-for-cli-tests-0123456789';
let server: { url: string; close(): Promise<void> } | undefined;

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
});

async function serve(...traffic: Traffic[]) {
  const stats = memoryStatsStore({ now: () => NOW });
  await simulate(stats, ...traffic);
  server = await serveHandler(createCollector({ contract, store: memoryDedupeStore(), stats, healthToken: TOKEN }));
  return new URL('/api/collect', server.url).href;
}

async function run(args: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await health(args, { stdout: (text) => (out += text), stderr: (text) => (err += text), readFile: () => Promise.reject(new Error('no files')), env });
  return { code, out, err };
}

const steady: Traffic[] = [
  { event: 'purchase_completed', counts: ok(2) },
  { event: 'lead_submitted', counts: ok(1) },
  { event: 'newsletter_signup', counts: ok(1), to: hourOf(NOW) - 30 * HOUR_MS, from: hourOf(NOW) - 31 * HOUR_MS },
];

describe('conversion-kit health', () => {
  it('exits 0 and prints the table when every conversion is recording or quiet at low volume', async () => {
    const url = await serve(...steady);
    const { code, out, err } = await run([url, '--token', TOKEN]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^EVENT\s+STATUS\s+LAST 24H\s+USUAL\s+CHANGE\s+REJECTED\s+LAST SEEN$/);
    expect(lines[1]).toMatch(/^purchase_completed \*\s+recording\s+48\s+48\s+0%\s+0\s+2026-12-04 16:30 UTC$/);
    expect(lines[3]).toMatch(/^newsletter_signup \*\s+no_recent\s/);
    expect(out).toContain('Every conversion is recording.');
  });

  it('exits 1 when a conversion dropped, saying what to check first', async () => {
    const v42 = hourOf(NOW) - 30 * HOUR_MS;
    const url = await serve(
      { event: 'purchase_completed', release: 'v41', counts: ok(4), to: v42 },
      { event: 'purchase_completed', release: 'v42', counts: ok(1), from: v42 },
      ...steady.slice(1),
    );
    const { code, out } = await run([`${url}/health`], { CONVERSION_KIT_HEALTH_TOKEN: TOKEN });
    expect(code).toBe(1);
    expect(out).toMatch(/^purchase_completed \*\s+dropped\s+24\s+96\s+-75%/m);
    expect(out).toContain('- purchase_completed (dropped): Check what release v42 changed');
    expect(out).toContain('1 conversion not recording: purchase_completed (dropped)');
  });

  it('exits 1 for a non-conversion only when a conversion fails too: supporting events do not fail the check', async () => {
    const url = await serve(...steady); // form_started and cta_clicked are inactive
    expect((await run([url, '--token', TOKEN, '--json'])).code).toBe(0);
  });

  it('exits 2 with a wrong token, naming the status', async () => {
    const url = await serve(...steady);
    const { code, err, out } = await run([url, '--token', 'x'.repeat(40)]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/answered 401 \(check the token\)/);
  });

  it('exits 2 on usage errors', async () => {
    expect((await run([])).code).toBe(2);
    const noToken = await run(['http://127.0.0.1:1/api/collect']);
    expect(noToken.code).toBe(2);
    expect(noToken.err).toContain('give the health token with --token <token> or CONVERSION_KIT_HEALTH_TOKEN');
    expect((await run(['not a url', '--token', TOKEN])).err).toContain('not a url: not a url');
    expect((await run(['http://127.0.0.1:1/', '--token', TOKEN, '--verbose'])).err).toContain('unknown option --verbose');
    expect((await run(['--help'])).code).toBe(0);
  });

  it('exits 2 when nothing answers', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)));
    await new Promise((resolve) => probe.close(resolve));
    const { code, err } = await run([`http://127.0.0.1:${port}/api/collect`, '--token', TOKEN]);
    expect(code).toBe(2);
    expect(err).toMatch(new RegExp(`could not read the report from http://127.0.0.1:${port}/api/collect/health: fetch failed: .*ECONNREFUSED`));
  });
});
