import { once } from 'node:events';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { memoryDedupeStore, redisDedupeStore } from 'conversion-kit/server';

describe('memoryDedupeStore', () => {
  it('grants a key once until it expires: pending while undelivered, a duplicate once delivered', () => {
    let time = 1000;
    const store = memoryDedupeStore({ now: () => time });
    expect(store.claim('a', 100, 't1')).toBe(true);
    expect(store.claim('a', 100, 't2')).toBe('pending');
    expect(store.extend('a', 100, 't1')).toBe(true);
    expect(store.claim('a', 100, 't2')).toBe(false);
    time += 100;
    expect(store.claim('a', 100, 't3')).toBe(true);
  });

  it('grants a released key again', () => {
    const store = memoryDedupeStore();
    store.claim('a', 60_000, 't1');
    store.release('a', 't1');
    expect(store.claim('a', 60_000, 't2')).toBe(true);
  });

  it('keeps an extended key past its first expiry', () => {
    let time = 0;
    const store = memoryDedupeStore({ now: () => time });
    store.claim('a', 100, 't1');
    expect(store.extend('a', 10_000, 't1')).toBe(true);
    time = 5000;
    expect(store.claim('a', 100, 't2')).toBe(false);
  });

  it('ignores a release by a holder whose claim expired and was taken over', () => {
    let time = 0;
    const store = memoryDedupeStore({ now: () => time });
    store.claim('a', 100, 'first');
    time = 150;
    store.claim('a', 60_000, 'second');
    store.release('a', 'first');
    expect(store.claim('a', 60_000, 'third')).toBe('pending');
  });

  it('refuses to extend a claim that expired, and says so', () => {
    let time = 0;
    const store = memoryDedupeStore({ now: () => time });
    store.claim('a', 100, 'first');
    time = 150;
    store.claim('a', 100, 'second');
    expect(store.extend('a', 60_000, 'first')).toBe(false);
    time = 300;
    expect(store.claim('a', 100, 'third')).toBe(true);
  });

  it('forgets the oldest claims past maxKeys, and only those', () => {
    const store = memoryDedupeStore({ maxKeys: 3 });
    for (const key of ['a', 'b', 'c', 'd']) store.claim(key, 60_000, key);
    expect(store.claim('b', 60_000, 'again')).toBe('pending');
    expect(store.claim('a', 60_000, 'again')).toBe(true);
  });

  it('refuses a maxKeys that is not a positive integer', () => {
    expect(() => memoryDedupeStore({ maxKeys: 0 })).toThrow(/maxKeys must be a positive integer/);
  });
});

describe('redisDedupeStore (real redis-server)', () => {
  const client = createClient({ url: inject('redisUrl') });
  const prefix = `test:${process.pid}:${Date.now()}:`;

  beforeAll(async () => {
    await client.connect();
  });
  afterAll(async () => {
    await client.close();
  });

  it('grants a key once: pending while undelivered, a duplicate once delivered', async () => {
    const store = redisDedupeStore(client, { prefix });
    expect(await store.claim('once', 60_000, 't1')).toBe(true);
    expect(await store.claim('once', 60_000, 't2')).toBe('pending');
    expect(await store.extend('once', 60_000, 't1')).toBe(true);
    expect(await store.claim('once', 60_000, 't2')).toBe(false);
    const ttl = await client.pTTL(`${prefix}once`);
    expect(ttl).toBeGreaterThan(59_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('grants exactly one of 50 concurrent claims from separate clients', async () => {
    const clients = await Promise.all(
      Array.from({ length: 5 }, () => createClient({ url: inject('redisUrl') }).connect()),
    );
    const stores = clients.map((c) => redisDedupeStore(c, { prefix }));
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => stores[i % 5]!.claim('race', 60_000, `t${i}`)));
    await Promise.all(clients.map((c) => c.close()));
    expect(results.filter((result) => result === true)).toHaveLength(1);
  });

  it('lets a key expire after its ttl', async () => {
    const store = redisDedupeStore(client, { prefix });
    await store.claim('short', 30, 't1');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await store.claim('short', 30, 't2')).toBe(true);
  });

  it('grants a released key again', async () => {
    const store = redisDedupeStore(client, { prefix });
    await store.claim('released', 60_000, 't1');
    await store.release('released', 't1');
    expect(await store.claim('released', 60_000, 't2')).toBe(true);
  });

  it('extends a held key', async () => {
    const store = redisDedupeStore(client, { prefix });
    await store.claim('extended', 1000, 't1');
    expect(await store.extend('extended', 3_600_000, 't1')).toBe(true);
    expect(await client.pTTL(`${prefix}extended`)).toBeGreaterThan(3_500_000);
  });

  it('ignores a release by a holder whose claim expired and was taken over', async () => {
    const store = redisDedupeStore(client, { prefix });
    await store.claim('taken-over', 30, 'first');
    await new Promise((resolve) => setTimeout(resolve, 80));
    await store.claim('taken-over', 60_000, 'second');
    await store.release('taken-over', 'first');
    expect(await store.claim('taken-over', 60_000, 'third')).toBe('pending');
  });

  it("does not extend another holder's claim, and says the claim was lost", async () => {
    const store = redisDedupeStore(client, { prefix });
    await store.claim('lost', 30, 'first');
    await new Promise((resolve) => setTimeout(resolve, 80));
    await store.claim('lost', 1000, 'second');
    expect(await store.extend('lost', 3_600_000, 'first')).toBe(false);
    expect(await client.pTTL(`${prefix}lost`)).toBeLessThanOrEqual(1000);
  });

  it('does not bring back an expired claim when its holder extends it', async () => {
    const store = redisDedupeStore(client, { prefix });
    await store.claim('expired', 30, 'first');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await store.extend('expired', 3_600_000, 'first')).toBe(false);
    expect(await client.exists(`${prefix}expired`)).toBe(0);
  });

  it('keeps apps with different prefixes apart', async () => {
    await redisDedupeStore(client, { prefix: `${prefix}one:` }).claim('k', 60_000, 't1');
    expect(await redisDedupeStore(client, { prefix: `${prefix}two:` }).claim('k', 60_000, 't2')).toBe(true);
  });

  it('refuses a claim on a closed client rather than granting it', async () => {
    const closed = createClient({ url: inject('redisUrl') });
    await closed.connect();
    await closed.close();
    await expect(redisDedupeStore(closed, { prefix }).claim('gone', 60_000, 't1')).rejects.toThrow();
  });

  it('fails a claim after timeoutMs when Redis does not answer', async () => {
    // A server that accepts connections and never answers: node-redis would queue the command forever.
    const silent = createNetServer(() => {}).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const hanging = createClient({ url: `redis://127.0.0.1:${(silent.address() as AddressInfo).port}` });
    hanging.on('error', () => {});
    hanging.connect().catch(() => {});
    const store = redisDedupeStore(hanging, { prefix, timeoutMs: 200 });
    await expect(store.claim('hang', 60_000, 't1')).rejects.toThrow('Redis did not answer the claim script within 200 ms');
    hanging.destroy();
    silent.close();
  });
});
