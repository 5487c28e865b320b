#!/usr/bin/env node
// Builds examples/nextjs (App Router) against the packed package, as a user's app would install it:
// `npm pack` into the example, `npm install` (next and the rest are installed once and reused while
// node_modules stays), then `next build`. A server component or route handler that calls
// `defineContract` through 'conversion-kit' fails this build if the root entry is 'use client'.
// Then `next start` on a free loopback port: the pages render and /api/collect accepts an event.
// Run after the build (`npm run build`). Usage: node scripts/check-nextjs.mjs
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { installExample, root } from './pack.mjs';

const example = join(root, 'examples/nextjs');
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const run = (command, args) => execFileSync(command, args, { cwd: example, env, stdio: 'inherit' });
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

installExample(example, env);
console.log(`installed (${seconds()})`);
run(join(example, 'node_modules/.bin/next'), ['build']);
console.log(`next build passed (${seconds()})`);

/** A free TCP port on 127.0.0.1. */
const freePort = () =>
  new Promise((done, fail) => {
    const server = createServer().once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(join(example, 'node_modules/.bin/next'), ['start', '--hostname', '127.0.0.1', '--port', String(port)], {
  cwd: example,
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let log = '';
server.stdout.on('data', (chunk) => (log += chunk));
server.stderr.on('data', (chunk) => (log += chunk));

const failures = [];
try {
  // Up to 30 s for the server to answer.
  let home;
  for (let i = 0; i < 60 && !home; i++) {
    home = await fetch(base).catch(() => undefined);
    if (!home) await new Promise((wait) => setTimeout(wait, 500));
  }
  if (!home) throw new Error(`next start did not answer on ${base}\n${log}`);
  const html = await home.text();
  if (home.status !== 200 || !html.includes('data-track-form="demo-request"') || !html.includes('purchase_completed')) {
    failures.push(`GET / answered ${home.status} without the tracked form and the tracking plan`);
  }
  const thanks = await fetch(`${base}/thank-you?order=A-1`);
  if (thanks.status !== 200 || !(await thanks.text()).includes('Thank you for your order')) failures.push(`GET /thank-you answered ${thanks.status}`);

  const envelope = {
    event: 'lead_submitted',
    eventId: crypto.randomUUID(),
    conversion: true,
    timestamp: Date.now(),
    payload: { form_id: 'demo-request' },
    campaign: { first: null, last: null },
    page: { path: '/', referrer: '' },
    source: 'client',
  };
  const collect = await fetch(`${base}/api/collect`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ v: 1, events: [envelope] }),
  });
  const answer = await collect.text();
  if (!collect.ok || JSON.parse(answer).accepted !== 1) failures.push(`POST /api/collect answered ${collect.status}: ${answer}`);
  // The route's destination logs each event it forwards.
  await new Promise((wait) => setTimeout(wait, 200));
  if (!log.includes(envelope.eventId)) failures.push('the collector did not forward the accepted event');
} finally {
  server.kill('SIGTERM');
}

if (failures.length) {
  console.log(`FAIL examples/nextjs\n${failures.join('\n')}\n--- next start output ---\n${log}`);
  process.exit(1);
}
console.log(`ok   examples/nextjs: next build, pages render, /api/collect accepts (${seconds()})`);
