/**
 * The cost of counting (issue 12), in the collector's own process: events per CPU-second of this
 * process (user + system, `process.cpuUsage`) and per wall-clock second, without stats, with the
 * default memory stats and with Redis stats, in interleaved rounds (the order rotates each round), as
 * medians and ratios to no stats. CPU time is the figure to read on a shared machine: wall-clock
 * throughput there moves with other processes' load, CPU time much less. Counting's background work
 * (the stats `add` after each answer, the `seen_both` claims) is drained into the measurement.
 * Destinations are a no-op. Each measurement starts from a collected heap (run with --expose-gc, as
 * `npm run bench:stats` does); a second run without stats gives the A/A ratio, the resolution of the
 * others. ROUNDS (default 7), EVENTS per measurement (default 20 000). A
 * redis-server is started on a free port unless REDIS_URL is set; keys expire within an hour.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { createClient } from 'redis';
import { createCollector, memoryDedupeStore, memoryStatsStore, redisDedupeStore, redisStatsStore, type DedupeStore, type ServerDestination, type StatsStore } from 'conversion-kit/server';
import { contract } from '../test/fixtures/contract';
import { purchaseEnvelope } from './envelope';

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const EVENTS = Number(process.env.EVENTS ?? 20_000);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const noop: ServerDestination = { name: 'noop', consent: 'none', send() {} };
let sequence = 0;
/** Errors reported by the collectors, by message: a bench with failures measures the wrong thing. */
const failures = new Map<string, number>();

function bodies(batch: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < EVENTS; i += batch) out.push(JSON.stringify({ v: 1, events: Array.from({ length: batch }, () => purchaseEnvelope(`S${process.pid}-${sequence++}`)) }));
  return out;
}

/** Events per CPU-second and per second of `EVENTS` new events through a new collector, 8 requests in flight. */
async function measure(store: DedupeStore, stats: StatsStore | false, batch: number) {
  const payloads = bodies(batch);
  let settled = 0;
  // Counts when each request's stats reached the store, so the background work is measured too.
  const counted: StatsStore | false = stats && {
    add: async (updates) => {
      try {
        await stats.add(updates);
      } finally {
        settled++;
      }
    },
    read: stats.read,
  };
  const collector = createCollector({
    contract,
    store,
    destinations: [noop],
    consent: () => undefined,
    stats: counted,
    openTelemetry: false,
    dedupeWindowMs: 10 * 60_000,
    onError: (error) => failures.set(error.message.slice(0, 90), (failures.get(error.message.slice(0, 90)) ?? 0) + 1),
  });
  let next = 0;
  const worker = async () => {
    while (next < payloads.length) {
      const body = payloads[next++]!;
      const response = await collector(new Request('http://bench/collect', { method: 'POST', headers: { 'content-type': 'text/plain' }, body }));
      if (response.status !== 200) throw new Error(`collector answered ${response.status}`);
      await response.arrayBuffer();
    }
  };
  // Each measurement starts from a collected heap: otherwise whichever variant runs into the major
  // collection of the garbage the previous ones left pays for it (rounds moved by 40% without this).
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: 8 }, worker));
  while (stats && settled < payloads.length) await new Promise((resolve) => setTimeout(resolve, 1));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { cpu: EVENTS / ((used.user + used.system) / 1e6), wall: EVENTS / seconds };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

let child: ChildProcess | undefined;
let url = process.env.REDIS_URL;
if (!url) {
  const port = await freePort();
  child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  url = `redis://127.0.0.1:${port}`;
  await new Promise((resolve) => setTimeout(resolve, 300));
}
const redis = createClient({ url });
redis.on('error', () => {});
await redis.connect();
try {
  const prefix = `bench-stats:${process.pid}:`;
  const redisStats = redisStatsStore(redis, { prefix: `${prefix}stats:`, ttlMs: 3_600_000 });
  const scenarios = [
    { name: 'memory dedup, 1 event/request', batch: 1, store: () => memoryDedupeStore({ maxKeys: 5_000_000 }) },
    { name: 'memory dedup, 50 events/request', batch: 50, store: () => memoryDedupeStore({ maxKeys: 5_000_000 }) },
    { name: 'Redis dedup, 50 events/request', batch: 50, store: () => redisDedupeStore(redis, { prefix }) },
  ];
  const variants = [
    { name: 'none', stats: () => false as const },
    { name: 'memory', stats: () => memoryStatsStore() },
    { name: 'Redis', stats: () => redisStats },
    // The first again (A/A): how far apart two identical variants measure, the resolution of the others.
    { name: 'none again', stats: () => false as const },
  ];
  console.log(`the cost of counting in the collector's process (${ROUNDS} interleaved rounds of ${EVENTS} new events, 8 requests in flight)`);
  console.log(`node ${process.version}, ${availableParallelism()} CPUs, load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}\n`);
  const rows = [];
  for (const scenario of scenarios) {
    const figures = variants.map(() => ({ cpu: [] as number[], wall: [] as number[] }));
    for (let round = -1; round < ROUNDS; round++) {
      for (let i = 0; i < variants.length; i++) {
        const v = (Math.max(round, 0) + i) % variants.length;
        const variant = variants[v]!;
        const result = await measure(scenario.store(), variant.stats(), scenario.batch);
        if (round >= 0) figures[v]!.cpu.push(result.cpu), figures[v]!.wall.push(result.wall); // round -1 warms up
      }
    }
    const [none, memory, inRedis, again] = figures.map((f) => ({ cpu: median(f.cpu), wall: median(f.wall) }));
    rows.push({
      scenario: scenario.name,
      'no stats ev/CPU-s': Math.round(none!.cpu),
      'memory ev/CPU-s': Math.round(memory!.cpu),
      'memory ratio': +(memory!.cpu / none!.cpu).toFixed(2),
      'Redis ev/CPU-s': Math.round(inRedis!.cpu),
      'Redis ratio': +(inRedis!.cpu / none!.cpu).toFixed(2),
      'A/A ratio': +(again!.cpu / none!.cpu).toFixed(2),
      'wall ratios (memory, Redis, A/A)': `${(memory!.wall / none!.wall).toFixed(2)}, ${(inRedis!.wall / none!.wall).toFixed(2)}, ${(again!.wall / none!.wall).toFixed(2)}`,
      'met (>= 0.9)': memory!.cpu / none!.cpu >= 0.9 && inRedis!.cpu / none!.cpu >= 0.9 ? 'yes' : 'NO',
    });
  }
  console.table(rows);
  if (failures.size > 0) console.log('errors reported (onError):', Object.fromEntries(failures));
} finally {
  await redis.close().catch(() => {});
  child?.kill();
}

