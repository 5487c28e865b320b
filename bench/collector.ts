/**
 * Collector throughput: events per second through parsing, contract validation and dedup, with the
 * memory store and with Redis. Destinations are a no-op, so the figures are the collector's own cost
 * (platform latency is not the collector's). Run with `npm run bench`. REDIS_URL picks a Redis;
 * otherwise a redis-server is started on a free port on 127.0.0.1 and stopped at the end, on failure
 * too. The Redis claims use a 10-minute dedup window and are deleted (by their prefix) at the end, so
 * a run leaves nothing behind in your Redis.
 * BENCH_SCALE multiplies the event counts (default 1); each figure is the median of BENCH_RUNS runs
 * (default 3), since a shared machine is noisy.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { createClient } from 'redis';
import {
  createCollector,
  memoryDedupeStore,
  redisDedupeStore,
  redisStatsStore,
  type DedupeStore,
  type ServerDestination,
  type StatsStore,
} from 'conversion-kit/server';
import { contract } from '../test/fixtures/contract';
import { purchaseEnvelope } from './envelope';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const noop: ServerDestination = { name: 'noop', consent: 'none', send() {} };
let run = 0;

/** Request bodies of `batchSize` new events each, `events` in all. */
function bodies(events: number, batchSize: number): string[] {
  run++;
  const out: string[] = [];
  for (let i = 0; i < events; i += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, events - i) }, (_, j) => purchaseEnvelope(`B${run}-${i + j}`));
    out.push(JSON.stringify({ v: 1, events: batch }));
  }
  return out;
}

// Long enough for the duplicate pass of each run; short, so that an interrupted run's keys go soon.
const BENCH_WINDOW_MS = 10 * 60_000;

/** Sends every body through the handler with `concurrency` requests in flight; events per second. */
async function measure(store: DedupeStore, payloads: string[], events: number, concurrency: number, stats?: StatsStore | false): Promise<number> {
  const collector = createCollector({ contract, store, destinations: [noop], maxEvents: 100, dedupeWindowMs: BENCH_WINDOW_MS, ...(stats !== undefined && { stats }) });
  let next = 0;
  const worker = async () => {
    while (next < payloads.length) {
      const body = payloads[next++]!;
      const response = await collector(new Request('http://bench/collect', { method: 'POST', headers: { 'content-type': 'text/plain' }, body }));
      if (response.status !== 200) throw new Error(`collector answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return events / ((performance.now() - started) / 1000);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startRedis(): Promise<{ url: string; child?: ChildProcess }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL };
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  child.once('error', (error) => {
    console.error(`Could not start redis-server (${error.message}); install it or set REDIS_URL`);
    process.exit(1);
  });
  return { url: `redis://127.0.0.1:${port}`, child };
}

async function connect(url: string) {
  for (let attempt = 0; ; attempt++) {
    const client = createClient({ url });
    client.on('error', () => {});
    try {
      return await client.connect();
    } catch (error) {
      client.destroy();
      if (attempt > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(10);

type Client = Awaited<ReturnType<typeof connect>>;

/** Deletes every key under `prefix`, in batches (SCAN + UNLINK, never KEYS); how many went. */
async function deletePrefix(client: Client, prefix: string): Promise<number> {
  let deleted = 0;
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    if (keys.length > 0) deleted += await client.unlink(keys);
  }
  return deleted;
}

async function benchmark(client: Client, redisUrl: string, startedHere: boolean, prefix: string) {
  const scenarios = [
    { name: 'memory', store: () => memoryDedupeStore({ maxKeys: 10_000_000 }), batch: 1, events: 10_000, concurrency: 1 },
    { name: 'memory', store: () => memoryDedupeStore({ maxKeys: 10_000_000 }), batch: 50, events: 50_000, concurrency: 1 },
    { name: 'redis', store: () => redisDedupeStore(client, { prefix }), batch: 1, events: 3_000, concurrency: 1 },
    { name: 'redis', store: () => redisDedupeStore(client, { prefix }), batch: 1, events: 10_000, concurrency: 32 },
    { name: 'redis', store: () => redisDedupeStore(client, { prefix }), batch: 50, events: 25_000, concurrency: 8 },
  ];
  console.log(`conversion-kit collector throughput (validation + dedup, no-op destination)`);
  console.log(`node ${process.version}, ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), redis at ${redisUrl}${startedHere ? ' (started by this script)' : ''}\n`);
  console.log(`median of ${RUNS} runs; load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}\n`);
  console.log('new ev/s: the default (memory stats); then the cost of counting, new events without stats and with Redis stats, interleaved.\n');
  console.log('store   batch  in flight     events   new ev/s   dup ev/s   no stats memory/none  Redis stats Redis/none');
  // Warm-up: JIT and connections.
  await measure(memoryDedupeStore(), bodies(2000, 10), 2000, 1);
  for (const scenario of scenarios) {
    const events = Math.max(scenario.batch, Math.round(scenario.events * SCALE));
    const freshRuns: number[] = [];
    const duplicateRuns: number[] = [];
    const noStatsRuns: number[] = [];
    const redisStatsRuns: number[] = [];
    const redisStats = redisStatsStore(client, { prefix: `${prefix}stats:`, ttlMs: 3_600_000 });
    for (let i = 0; i < RUNS; i++) {
      // Rotate the order of the three, so a drift in machine load falls on each.
      const runs = [
        async () => {
          const store = scenario.store();
          const payloads = bodies(events, scenario.batch);
          freshRuns.push(await measure(store, payloads, events, scenario.concurrency));
          duplicateRuns.push(await measure(store, payloads, events, scenario.concurrency)); // the same events again
        },
        async () => noStatsRuns.push(await measure(scenario.store(), bodies(events, scenario.batch), events, scenario.concurrency, false)),
        async () => redisStatsRuns.push(await measure(scenario.store(), bodies(events, scenario.batch), events, scenario.concurrency, redisStats)),
      ];
      for (let j = 0; j < runs.length; j++) await runs[(i + j) % runs.length]!();
    }
    const fresh = median(freshRuns);
    const duplicate = median(duplicateRuns);
    const none = median(noStatsRuns);
    const withRedis = median(redisStatsRuns);
    console.log(
      `${scenario.name.padEnd(7)} ${String(scenario.batch).padStart(5)} ${String(scenario.concurrency).padStart(10)} ${String(events).padStart(10)} ${fmt(fresh)} ${fmt(duplicate)} ${fmt(none)} ${(fresh / none).toFixed(2).padStart(11)} ${fmt(withRedis)} ${(withRedis / none).toFixed(2).padStart(10)}`,
    );
  }
}

async function main() {
  const redis = await startRedis();
  // Every run's keys share one prefix (bodies() gives each run new orders), deleted at the end.
  const prefix = `bench:${process.pid}:${Date.now()}:`;
  let client: Client | undefined;
  try {
    client = await connect(redis.url);
    await benchmark(client, redis.url, redis.child !== undefined, prefix);
  } finally {
    if (client) {
      const deleted = await deletePrefix(client, prefix).catch(() => 0);
      if (!redis.child) console.log(`\ndeleted the ${deleted} keys this run left under ${prefix}`);
      await client.close().catch(() => {});
    }
    redis.child?.kill('SIGTERM');
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
