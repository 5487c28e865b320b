// The page of the exit-batch test, bundled from the sources: a tracker whose only destination is the
// beacon with its default batch size, a flush interval and backoff so long that after the collector's
// first refusal nothing leaves until the page goes away.
import { createTracker } from 'conversion-kit/core';
import { beacon } from 'conversion-kit/destinations';
import { contract } from '../../fixtures/contract';

const tracker = createTracker({
  contract,
  destinations: [beacon({ url: '/collect', flushIntervalMs: 600_000, backoffMs: 600_000, maxBackoffMs: 600_000 })],
});

Object.assign(window, { tracker });
document.body.dataset.state = 'ready';
