import { vi } from 'vitest';
import { randomEventId } from 'conversion-kit/core';
import { createCollector, memoryDedupeStore, type CollectorOptions } from 'conversion-kit/server';
import { contract } from '../fixtures/contract';
import { purchaseEnvelope } from './envelopes';
import { recording } from './recording';

export type Options = Partial<CollectorOptions<typeof contract>>;

export function setup(options: Options = {}) {
  const ga4 = recording('ga4', 'analytics');
  const meta = recording('meta', 'ads');
  const onError = vi.fn();
  // consent: unknown for every event, said explicitly (without the option the collector warns).
  const collector = createCollector({ contract, store: memoryDedupeStore(), destinations: [ga4, meta], onError, consent: () => undefined, ...options });
  const post = async (body: string, headers: Record<string, string> = {}) => {
    const response = await collector(
      new Request('https://shop.example/api/collect', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }),
    );
    return { status: response.status, headers: response.headers, body: await response.json() };
  };
  return { collector, ga4, meta, onError, post };
}

export const lead = () =>
  purchaseEnvelope({ event: 'lead_submitted', eventId: randomEventId(), dedupeKey: null, payload: { form_id: 'demo' } });
