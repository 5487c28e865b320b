/**
 * The servers `bench/collector-http.ts` loads, in a process of their own (so the load generator does
 * not share their event loop): the reference, a bare node:http server that reads the body and
 * `JSON.parse`s it, and the collector through `toNodeHandler` with the memory store and with Redis
 * (REDIS_URL), each with a no-op destination and the default stats (in memory). For the stats overhead,
 * the same two again without stats and with Redis stats. Starts those named as arguments (all without
 * any) and prints their ports as one JSON line, with `cpu`: a server that answers this process's
 * `process.cpuUsage()`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import {
  createCollector,
  memoryDedupeStore,
  redisDedupeStore,
  redisStatsStore,
  toNodeHandler,
  type DedupeStore,
  type ServerDestination,
  type StatsStore,
} from 'conversion-kit/server';
import { contract } from '../test/fixtures/contract';

const noop: ServerDestination = { name: 'noop', consent: 'none', send() {} };

const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

/** The reference: what any JSON endpoint must do at least. */
const bare = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const batch = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: unknown[] };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ accepted: batch.events.length }));
  });
});

const collectorServer = (store: DedupeStore, stats?: StatsStore | false) =>
  createServer(
    toNodeHandler(createCollector({ contract, store, destinations: [noop], consent: () => undefined, dedupeWindowMs: 10 * 60_000, ...(stats !== undefined && { stats }) })),
  );

const redis = createClient({ url: process.env.REDIS_URL });
redis.on('error', () => {});
await redis.connect();

const memoryStore = () => memoryDedupeStore({ maxKeys: 2_000_000 });
const redisStore = () => redisDedupeStore(redis, { prefix: `bench:${process.pid}:` });
const redisStats = () => redisStatsStore(redis, { prefix: `bench:${process.pid}:stats:`, ttlMs: 3_600_000 });
const servers = {
  bare: () => bare,
  memory: () => collectorServer(memoryStore()),
  redis: () => collectorServer(redisStore()),
  // The stats overhead: each dedup store without stats, and with stats in Redis (1 h TTL).
  memoryNoStats: () => collectorServer(memoryStore(), false),
  memoryRedisStats: () => collectorServer(memoryStore(), redisStats()),
  redisNoStats: () => collectorServer(redisStore(), false),
  redisRedisStats: () => collectorServer(redisStore(), redisStats()),
};
// The servers named on the command line (all without), so a comparison can give each its own process.
const names = (process.argv.length > 2 ? process.argv.slice(2) : Object.keys(servers)) as (keyof typeof servers)[];
const ports: Record<string, number> = {};
for (const name of names) ports[name] = await listen(servers[name]());
// This process's CPU time so far (µs), for figures per CPU-second that other processes' load moves less.
ports.cpu = await listen(createServer((_, res) => res.end(JSON.stringify(process.cpuUsage()))));
console.log(JSON.stringify(ports));
// Exit cleanly when the bench is done, so `node --cpu-prof` can write its profile.
process.on('SIGTERM', () => process.exit(0));
