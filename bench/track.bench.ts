/* eslint-disable prefer-rest-params */
// Events per second of `track()` through each destination and through all of them, in jsdom with
// the platforms' snippets marked as loaded (their queues only record) and a
// beacon whose fetch answers at once. Prints tinybench's table: `hz` is events per second.
import { bench, describe } from 'vitest';
import { createTracker, memoryStorage, type Destination } from 'conversion-kit/core';
import { beacon, dataLayer, googleAds, gtag, hashUserData, metaPixel, segment } from 'conversion-kit/destinations';
import { contract } from '../test/fixtures/contract';

const page = window as unknown as Record<string, any>;
page.dataLayer = [];
page.gtag = function gtag() {
  page.dataLayer.push(arguments);
};
// The loaded libraries, as the destinations tell them from the snippet stubs: gtag.js takes over
// `dataLayer.push`, fbevents.js sets `fbq.callMethod` (both still only record here).
page.dataLayer.push = function push(...entries: unknown[]) {
  return Array.prototype.push.apply(page.dataLayer, entries);
};
const fbq: Record<string, any> = (page.fbq = function () {
  fbq.queue.push(arguments);
});
fbq.queue = [];
fbq.callMethod = fbq;
const analytics: any[] & Record<string, any> = (page.analytics = []);
analytics.track = (...args: unknown[]) => analytics.push(['track', ...args]);
analytics.addSourceMiddleware = (...args: unknown[]) => analytics.push(['addSourceMiddleware', ...args]);
document.cookie = '_ga=GA1.1.468604437.1611708469';
document.cookie = '_fbp=fb.1.1596403881668.1116446470';
// The collector: up answers 200 at once, down answers 503 (so the beacon's queue sits at its bound).
globalThis.fetch = async (input) =>
  String(input).includes('down.example')
    ? new Response('{"error":{"code":"down","message":"down"}}', { status: 503 })
    : new Response(JSON.stringify({ accepted: 20, duplicates: 0, rejected: [] }), { status: 200 });

/** Empties the stubs' queues now and then, as the loaded libraries would. */
const drain = () => {
  page.dataLayer.length = 0;
  fbq.queue.length = 0;
  analytics.length = 0;
};

const LANDING = 'https://shop.example/landing?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=Cj0K&fbclid=AbC';
const UP = 'https://collector.example/collect';
const DOWN = 'https://down.example/collect';
const tags = (): Destination[] => [
  dataLayer(),
  gtag({ events: { purchase_completed: 'purchase', lead_submitted: 'generate_lead' } }),
  googleAds({ conversions: { purchase_completed: 'AW-123456789/AbC-D_efG' } }),
  metaPixel({ events: { purchase_completed: 'Purchase', lead_submitted: 'Lead', cta_clicked: 'CtaClicked' } }),
  segment({ events: { purchase_completed: 'Order Completed' } }),
];
const collector = (url: string) => beacon({ url, storage: memoryStorage(), flushIntervalMs: 60_000 });
const trackerWith = (destinations: Destination[]) =>
  createTracker({ contract, storage: memoryStorage(), campaign: { url: LANDING, referrer: '' }, destinations });

describe('track(cta_clicked): a supporting event; hz = events per second', () => {
  const sync: Record<string, Destination[]> = {
    'no destinations (core only)': [],
    dataLayer: [dataLayer()],
    gtag: [gtag()],
    metaPixel: [metaPixel({ events: { cta_clicked: 'CtaClicked' } })],
    segment: [segment()],
    'beacon, collector down (queue held at its 200-event bound)': [collector(DOWN)],
  };
  for (const [name, destinations] of Object.entries(sync)) {
    const tracker = trackerWith(destinations);
    let i = 0;
    bench(name, () => {
      tracker.track('cta_clicked', { cta_id: `hero-${i++}` });
      if (i % 1000 === 0) drain();
    }, { time: 1000 });
  }
  // With the collector up, a batch of 20 goes out as it fills: the cost of sending it is included.
  const up: Record<string, Destination[]> = {
    'beacon, collector up (batches of 20 sent)': [collector(UP)],
    'all six destinations, collector up': [...tags(), collector(UP)],
  };
  for (const [name, destinations] of Object.entries(up)) {
    const tracker = trackerWith(destinations);
    let i = 0;
    bench(name, async () => {
      tracker.track('cta_clicked', { cta_id: `hero-${i++}` });
      if (i % 20 === 0) await tracker.flush();
      if (i % 1000 === 0) drain();
    }, { time: 1000 });
  }
});

describe('track(purchase_completed): a conversion, deduplicated by order id (ledger of up to 500 keys)', () => {
  const core = trackerWith([]);
  let id = 0;
  bench('no destinations (core only: the dedup ledger)', () => {
    core.track('purchase_completed', { order_id: `A-${id++}`, value: 129, currency: 'EUR' });
  }, { time: 1000 });
  const tracker = trackerWith([...tags(), collector(UP)]);
  let order = 0;
  bench('all six destinations, collector up', async () => {
    tracker.track('purchase_completed', { order_id: `A-${order++}`, value: 129, currency: 'EUR' });
    if (order % 20 === 0) await tracker.flush();
    if (order % 1000 === 0) drain();
  }, { time: 1000 });
});

describe('hashUserData (WebCrypto SHA-256, both platforms)', () => {
  bench('email + phone + names', async () => {
    await hashUserData({ email: 'Jane.Doe@gmail.com', phone: '+1 650 555 1212', first_name: 'Jane', last_name: 'Doe' });
  }, { time: 1000 });
});
