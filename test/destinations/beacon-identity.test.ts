import { afterEach, describe, expect, it } from 'vitest';
import { memoryStorage } from 'conversion-kit/core';
import { beacon } from 'conversion-kit/destinations';
import { startCollector, type Collector } from '../fixtures/collector';
import { order, trackerWith } from './helpers';

// Cookies change while a page lives: a consent banner lets Meta's pixel set `_fbp`, GA4 starts a new
// session in `_ga_<container id>`. Each event carries the cookies as they are in the task that tracks
// it: tags set cookies in tasks of their own (their script loading, their timers), and the beacon
// reads `document.cookie` once per task (a read costs Chromium about 0.25 ms).
const COOKIES = ['_ga', '_ga_TEST123', '_fbp'];
let collector: Collector | undefined;

afterEach(async () => {
  for (const name of COOKIES) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
  await collector?.close();
  collector = undefined;
});

/** A tag's own task (its script loaded, a timer fired) doing `work`, after the current one. */
const tagTask = (work: () => unknown) => new Promise<void>((resolve) => setTimeout(() => resolve(void work())));

describe('beacon identity as cookies change', () => {
  it('picks up a cookie set after the first event, and a GA4 session that rotated', async () => {
    collector = await startCollector();
    const { tracker } = trackerWith([beacon({ url: collector.url, storage: memoryStorage(), flushIntervalMs: 60_000 })], { campaign: false });
    document.cookie = '_ga=GA1.1.468604437.1611708469; path=/';
    document.cookie = '_ga_TEST123=GS2.1.s1746000000$o3$g1$t1746000100$j60$l0$h0; path=/';
    tracker.track('purchase_completed', order('C-1'));
    await tagTask(() => {
      // The visitor accepts the banner: the pixel sets _fbp; GA4 starts the visitor's fourth session.
      document.cookie = '_fbp=fb.1.1596403881668.1116446470; path=/';
      document.cookie = '_ga_TEST123=GS2.1.s1746009999$o4$g1$t1746010000$j60$l0$h0; path=/';
    });
    tracker.track('purchase_completed', order('C-2'));
    await tracker.flush();
    expect(collector.requests.flatMap((request) => request.events.map((e) => e.identity))).toEqual([
      { ga_client_id: '468604437.1611708469', ga_session_id: '1746000000', ga_session_number: '3' },
      { ga_client_id: '468604437.1611708469', ga_session_id: '1746009999', ga_session_number: '4', fbp: 'fb.1.1596403881668.1116446470' },
    ]);
  });

  it('drops an id whose cookie was removed', async () => {
    collector = await startCollector();
    const { tracker } = trackerWith([beacon({ url: collector.url, storage: memoryStorage(), flushIntervalMs: 60_000 })], { campaign: false });
    document.cookie = '_fbp=fb.1.1596403881668.1116446470; path=/';
    tracker.track('purchase_completed', order('D-1'));
    await tagTask(() => (document.cookie = '_fbp=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/')); // consent withdrawn: the pixel's cookie is cleared
    tracker.track('purchase_completed', order('D-2'));
    await tracker.flush();
    expect(collector.requests.flatMap((request) => request.events.map((e) => e.identity))).toEqual([{ fbp: 'fb.1.1596403881668.1116446470' }, undefined]);
  });

  it('reads the cookies once for a burst of events tracked in one task', async () => {
    collector = await startCollector();
    const { tracker } = trackerWith([beacon({ url: collector.url, storage: memoryStorage(), flushIntervalMs: 60_000 })], { campaign: false });
    document.cookie = '_fbp=fb.1.1596403881668.1116446470; path=/';
    const jar = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!;
    let reads = 0;
    Object.defineProperty(document, 'cookie', { configurable: true, get: () => (reads++, jar.get!.call(document)), set: (value) => jar.set!.call(document, value) });
    try {
      for (let i = 0; i < 20; i++) tracker.track('purchase_completed', order(`E-${i}`));
      await tagTask(() => {});
      tracker.track('purchase_completed', order('E-20'));
    } finally {
      delete (document as { cookie?: string }).cookie;
    }
    expect(reads).toBe(2);
    await tracker.flush();
    expect(collector.requests.flatMap((request) => request.events.map((e) => e.identity?.fbp))).toEqual(Array(21).fill('fb.1.1596403881668.1116446470'));
  });
});
