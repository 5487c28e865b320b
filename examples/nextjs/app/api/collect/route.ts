// The collector: validates against the same contract the browser uses, deduplicates and forwards.
import { createCollector, memoryDedupeStore, type ServerDestination } from 'conversion-kit/server';
import { contract } from '@/tracking/contract';

// Replace with ga4MeasurementProtocol(...) and metaConversionsApi(...) from 'conversion-kit/server'.
const serverLog: ServerDestination = {
  name: 'server-log',
  send(envelope) {
    console.log('[collect]', envelope.event, envelope.eventId);
  },
};

const collector = createCollector({
  contract,
  store: memoryDedupeStore(), // redisDedupeStore(...) when more than one server runs
  destinations: [serverLog],
  consent: () => ({ analytics: 'granted', ads: 'granted' }), // yours: read your consent cookie
});

export const POST = (request: Request) => collector(request);
export const OPTIONS = (request: Request) => collector(request);
