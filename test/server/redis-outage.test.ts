import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { createCollector, redisDedupeStore } from 'conversion-kit/server';
import { contract } from '../fixtures/contract';
import { batchOf, purchaseEnvelope } from './envelopes';
import { recording } from './recording';

// A real redis-server of this test's own, stopped and started again while the collector runs.

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const pong = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = new Socket();
    socket.setTimeout(300, () => (socket.destroy(), resolve(false)));
    socket.once('data', (data) => (socket.destroy(), resolve(data.toString().startsWith('+PONG'))));
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });

interface Redis {
  readonly port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A redis-server on a fixed port; `persistent` keeps its data on disk (append-only file) across restarts. */
async function redisServer(persistent: boolean): Promise<Redis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ck-redis-'));
  const args = persistent
    ? ['--appendonly', 'yes', '--appendfsync', 'always', '--save', '']
    : ['--appendonly', 'no', '--save', ''];
  let child: ChildProcess | undefined;
  const redis: Redis = {
    port,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...args], { stdio: 'ignore' });
      const deadline = Date.now() + 10_000;
      while (!(await pong(port))) {
        if (Date.now() > deadline) throw new Error('redis-server did not start');
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
    },
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
  };
  await redis.start();
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => redis.stop());
  return redis;
}

async function collectorOn(redis: Redis) {
  // node-redis as most apps configure it: it reconnects and queues commands while offline.
  const client = createClient({ url: `redis://127.0.0.1:${redis.port}`, socket: { reconnectStrategy: () => 50 } });
  client.on('error', () => {});
  await client.connect();
  cleanups.push(() => client.destroy());
  const ga4 = recording('ga4');
  const collector = createCollector({
    contract,
    store: redisDedupeStore(client, { timeoutMs: 200 }),
    destinations: [ga4],
    consent: () => undefined,
  });
  const post = async () => {
    const response = await collector(
      new Request('https://shop.example/c', { method: 'POST', headers: { 'content-type': 'application/json' }, body: batchOf(purchaseEnvelope()) }),
    );
    return response.json();
  };
  return { client, ga4, post };
}

describe('redisDedupeStore through a Redis outage', () => {
  it('a claim that timed out during the outage never turns the resend into a duplicate', async () => {
    const redis = await redisServer(false);
    const { client, ga4, post } = await collectorOn(redis);
    await redis.stop();

    const during = await post();
    expect(during.failed).toEqual([expect.objectContaining({ event: 'purchase_completed', retryable: true })]);
    expect(ga4.received).toHaveLength(0);

    await redis.start();
    // The client reconnects and runs whatever it had queued (the SET NX of the claim that timed out).
    const deadline = Date.now() + 5000;
    while (!client.isReady && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await client.ping();

    const resend = await post();
    expect(resend).toMatchObject({ accepted: 1, duplicates: 0, failed: [] });
    expect(ga4.received).toHaveLength(1);
  });

  it('with an append-only file, a restart keeps the ledger: a resend after it stays a duplicate', async () => {
    const redis = await redisServer(true);
    const { client, ga4, post } = await collectorOn(redis);
    expect(await post()).toMatchObject({ accepted: 1 });
    await redis.stop();
    await redis.start();
    await client.ping();
    expect(await post()).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(ga4.received).toHaveLength(1);
  });

  it('without persistence a restart forgets the ledger (what the README warns about)', async () => {
    const redis = await redisServer(false);
    const { client, ga4, post } = await collectorOn(redis);
    expect(await post()).toMatchObject({ accepted: 1 });
    await redis.stop();
    await redis.start();
    await client.ping();
    expect(await post()).toMatchObject({ accepted: 1 });
    expect(ga4.received).toHaveLength(2);
  });
});
