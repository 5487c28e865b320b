import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Serves a directory (a Storybook build) on 127.0.0.1 and a free port, with routes in front of it
 * (the collector at /api/collect). Used by `npm run screenshot` and test/e2e/storybook.test.ts.
 *
 * @param {string} root the directory to serve
 * @param {{ routes?: Record<string, (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => unknown> }} [options]
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function serveStatic(root, { routes = {} } = {}) {
  const base = resolve(root);
  const fail = (res, status, text) => {
    res.statusCode = status;
    res.end(text);
  };
  const serve = async (req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      return fail(res, 400, 'malformed URL'); // a bad % escape: answer it, never crash the server
    }
    const route = routes[path];
    if (route) return route(req, res);
    const file = resolve(join(base, path.endsWith('/') ? `${path}index.html` : path));
    if (file !== base && !file.startsWith(base + sep)) return fail(res, 403, 'forbidden');
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return fail(res, 404, 'not found');
    res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
  const server = createServer((req, res) => {
    serve(req, res).catch((error) => {
      if (res.headersSent) return res.destroy();
      fail(res, 500, String(error));
    });
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', () => done(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((done) => {
        server.close(() => done(undefined));
        // close() only ends idle connections; one still busy (a request the browser left unanswered)
        // would hold it open until it times out.
        server.closeAllConnections();
      }),
  };
}
