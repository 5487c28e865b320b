// The pages of the unload test, bundled from the sources: a tracker whose only destination is the
// beacon, with a flush interval so long that an event leaves only when the page goes away.
import { createTracker } from 'conversion-kit/core';
import { beacon } from 'conversion-kit/destinations';
import { contract } from '../../fixtures/contract';

const tracker = createTracker({
  contract,
  destinations: [beacon({ url: '/collect', flushIntervalMs: 600_000, batchSize: 100 })],
});

const params = new URLSearchParams(location.search);
const orderId = params.get('order') ?? 'E2E-1';

document.querySelector('#pay')?.addEventListener('click', () => {
  tracker.track('purchase_completed', { order_id: orderId, value: 42, currency: 'EUR' });
  location.href = '/thanks';
});

Object.assign(window, { tracker });
document.body.dataset.state = 'ready';
