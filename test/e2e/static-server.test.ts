import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../../scripts/static-server.mjs';

/** The server `npm run screenshot` and the Storybook end-to-end test serve the build with. */

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'conversion-kit-static-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>ok</title>');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** GET over a keep-alive connection, as a browser does. */
function get(url: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

describe('the static server of the built Storybook', () => {
  it('answers a malformed percent escape with 400 and keeps serving', async () => {
    const site = await serveStatic(dir);
    const agent = new http.Agent({ keepAlive: true });
    try {
      expect(await get(`${site.url}/%E0%A4%A`, agent)).toBe(400);
      expect(await get(`${site.url}/`, agent)).toBe(200);
    } finally {
      agent.destroy();
      await site.close();
    }
  });

  it('closes at once although a request is still waiting for its answer', async () => {
    let arrived!: () => void;
    const waiting = new Promise<void>((resolve) => (arrived = resolve));
    const site = await serveStatic(dir, { routes: { '/never-answers': () => arrived() } });
    const agent = new http.Agent({ keepAlive: true });
    get(`${site.url}/never-answers`, agent).catch(() => 'dropped');
    await waiting;
    const closed = site.close().then(() => 'closed');
    const timeout = new Promise((resolve) => setTimeout(() => resolve('still open after 1 s'), 1000));
    expect(await Promise.race([closed, timeout])).toBe('closed');
    agent.destroy();
  });
});
