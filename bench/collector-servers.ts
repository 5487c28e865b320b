/**
 * The servers `bench/collector-http.ts` loads, in a process of their own (so the load generator does
 * not share their event loop): the reference, a bare node:http server that reads the body and
 * `JSON.parse`s it, and the collector through `toNodeHandler` with the memory store and with Redis
 * (REDIS_URL), each with a no-op destination and the default stats (in memory). For the stats overhead,
 * the same two again without stats and with Redis stats. Prints the ports as one JSON line.
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

const ports = {
  bare: await listen(bare),
  memory: await listen(collectorServer(memoryDedupeStore({ maxKeys: 2_000_000 }))),
  redis: await listen(collectorServer(redisDedupeStore(redis, { prefix: `bench:${process.pid}:` }))),
  // The stats overhead: each dedup store without stats, and with stats in Redis (1 h TTL).
  memoryNoStats: await listen(collectorServer(memoryDedupeStore({ maxKeys: 2_000_000 }), false)),
  memoryRedisStats: await listen(collectorServer(memoryDedupeStore({ maxKeys: 2_000_000 }), redisStatsStore(redis, { prefix: `bench:${process.pid}:stats:`, ttlMs: 3_600_000 }))),
  redisNoStats: await listen(collectorServer(redisDedupeStore(redis, { prefix: `bench:${process.pid}:` }), false)),
  redisRedisStats: await listen(collectorServer(redisDedupeStore(redis, { prefix: `bench:${process.pid}:` }), redisStatsStore(redis, { prefix: `bench:${process.pid}:stats:`, ttlMs: 3_600_000 }))),
};
console.log(JSON.stringify(ports));
// Exit cleanly when the bench is done, so `node --cpu-prof` can write its profile.
process.on('SIGTERM', () => process.exit(0));
