import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineContract, eventIdFor, randomEventId } from 'conversion-kit/core';
import { createCollector, createServerTracker, memoryDedupeStore, signConversion, type CollectorOptions } from 'conversion-kit/server';
import { contract } from '../fixtures/contract';
import { batchOf, purchaseEnvelope } from './envelopes';
import { serveHandler } from './platform';
import { recording, type Recording } from './recording';

// Anyone on the internet can post to the collector: each case here is an attack over real HTTP.

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

async function serve<C extends typeof contract>(options: Partial<CollectorOptions<C>> & { contract?: C } = {}) {
  const ga4 = recording('ga4');
  const store = memoryDedupeStore();
  const collector = createCollector({ contract, store, destinations: [ga4], consent: () => undefined, ...options } as CollectorOptions<C>);
  const server = await serveHandler(collector);
  open.push(server);
  const post = async (...events: unknown[]) => {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: batchOf(...events) });
    return { status: response.status, body: await response.json() };
  };
  return { ga4, store, post };
}

const sent = (destination: Recording) => destination.received.map(({ envelope }) => `${envelope.event}:${JSON.stringify(envelope.payload)}`);

describe('a cheap event cannot block a conversion', () => {
  it('a cta_clicked posted with the eventId of a future purchase does not block that purchase', async () => {
    const { ga4, post } = await serve();
    const purchaseId = eventIdFor('purchase_completed', 'A-1001');
    const squat = { ...purchaseEnvelope(), event: 'cta_clicked', eventId: purchaseId, dedupeKey: null, payload: { cta_id: 'x' } };
    expect((await post(squat)).body.accepted).toBe(1);

    const answer = await post(purchaseEnvelope());
    expect(answer.body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(sent(ga4)).toContain('purchase_completed:{"order_id":"A-1001","value":129,"currency":"EUR"}');
  });

  it('a server tracker report is not blocked by a squatted id either', async () => {
    const ga4 = recording('ga4');
    const store = memoryDedupeStore();
    const collector = createCollector({ contract, store, destinations: [ga4], consent: () => undefined });
    const server = await serveHandler(collector);
    open.push(server);
    const leadId = randomEventId();
    await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: batchOf({ ...purchaseEnvelope(), event: 'cta_clicked', eventId: leadId, dedupeKey: null, payload: { cta_id: 'x' } }),
    });
    const tracker = createServerTracker({ contract, store, destinations: [ga4] });
    const result = await tracker.track('lead_submitted', { form_id: 'demo' }, { eventId: leadId });
    expect(result.status).toBe('sent');
  });
});

const confirmed = defineContract({
  purchase_completed: {
    schema: z.object({ order_id: z.string().min(1), value: z.number().nonnegative(), currency: z.string().length(3) }),
    dedupeBy: 'order_id',
    conversion: true,
    confirmedBy: 'server',
  },
  cta_clicked: { schema: z.object({ cta_id: z.string() }) },
});

describe("confirmedBy: 'server'", () => {
  it('never forwards a browser report of the event, so a forged order cannot pre-empt the payment webhook', async () => {
    const ga4 = recording('ga4');
    const store = memoryDedupeStore();
    const { post } = await serve({ contract: confirmed as never, store, destinations: [ga4] });
    const forged = purchaseEnvelope({ payload: { order_id: 'A-1001', value: 0, currency: 'EUR' } });
    const answer = await post(forged);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ accepted: 0, duplicates: 0, skipped: 1 });
    expect(answer.body.notes?.[0]).toMatchObject({ index: 0, event: 'purchase_completed' });
    expect(answer.body.notes[0].reason).toMatch(/confirmedBy: 'server'/);
    expect(ga4.received).toHaveLength(0);

    // The payment webhook's report, through the server tracker on the same store, is the one counted.
    const tracker = createServerTracker({ contract: confirmed, store, destinations: [ga4] });
    const result = await tracker.track('purchase_completed', { order_id: 'A-1001', value: 999, currency: 'EUR' });
    expect(result.status).toBe('sent');
    expect(ga4.received.map(({ envelope }) => envelope.payload.value)).toEqual([999]);
  });

  it('a browser cannot pass for the server by writing source: "server"', async () => {
    const ga4 = recording('ga4');
    const { post } = await serve({ contract: confirmed as never, destinations: [ga4] });
    const answer = await post(purchaseEnvelope({ source: 'server', payload: { order_id: 'A-1', value: 0, currency: 'EUR' } }));
    expect(answer.body.skipped).toBe(1);
    expect(ga4.received).toHaveLength(0);
  });

  it('other events of that contract still flow from the browser, reported as client', async () => {
    const ga4 = recording('ga4');
    const { post } = await serve({ contract: confirmed as never, destinations: [ga4] });
    await post({ ...purchaseEnvelope(), event: 'cta_clicked', eventId: randomEventId(), dedupeKey: null, payload: { cta_id: 'hero' }, source: 'server' });
    expect(ga4.received.map(({ envelope }) => [envelope.event, envelope.source])).toEqual([['cta_clicked', 'client']]);
  });
});

describe('signed conversions', () => {
  const secret = 'test-secret-that-is-long-enough-0123456789';
  const proofs = { secret, events: ['purchase_completed'] as const };

  it('forwards a report whose proof the backend signed for that order and value', async () => {
    const { ga4, post } = await serve({ proofs });
    const proof = await signConversion({ secret, event: 'purchase_completed', dedupeKey: 'A-1001', value: 129 });
    const answer = await post(purchaseEnvelope({ proof } as never));
    expect(answer.body).toMatchObject({ accepted: 1, rejected: [] });
    expect(ga4.received).toHaveLength(1);
  });

  it.each([
    ['no proof', async () => undefined],
    ['a proof for another order', async () => signConversion({ secret, event: 'purchase_completed', dedupeKey: 'A-9999', value: 129 })],
    ['a proof for another value', async () => signConversion({ secret, event: 'purchase_completed', dedupeKey: 'A-1001', value: 1290 })],
    ['a proof signed with another secret', async () => signConversion({ secret: `${secret}x`, event: 'purchase_completed', dedupeKey: 'A-1001', value: 129 })],
    ['garbage', async () => 'v1.' + 'A'.repeat(43)],
    ['a nested array', async () => [[[['x']]]] as never],
  ])('refuses a report with %s, naming the event and the field', async (_, makeProof) => {
    const { ga4, post } = await serve({ proofs });
    const proof = await makeProof();
    const answer = await post(purchaseEnvelope(proof === undefined ? {} : ({ proof } as never)));
    expect(answer.status).toBe(400);
    expect(answer.body.rejected[0].errors.join(' ')).toMatch(/purchase_completed\.proof/);
    expect(ga4.received).toHaveLength(0);
  });

  it('accepts a proof signed with the previous secret during a rotation', async () => {
    const { ga4, post } = await serve({ proofs: { secret: ['new-secret-0123456789abcdef-0123456789', secret], events: ['purchase_completed'] } });
    const proof = await signConversion({ secret, event: 'purchase_completed', dedupeKey: 'A-1001', value: 129 });
    expect((await post(purchaseEnvelope({ proof } as never))).body.accepted).toBe(1);
    expect(ga4.received).toHaveLength(1);
  });

  it('events not listed need no proof', async () => {
    const { ga4, post } = await serve({ proofs });
    await post({ ...purchaseEnvelope(), event: 'cta_clicked', eventId: randomEventId(), dedupeKey: null, payload: { cta_id: 'hero' } });
    expect(ga4.received).toHaveLength(1);
  });

  it('refuses at creation a proofs option naming an event the contract does not have, or a short secret', () => {
    expect(() => createCollector({ contract, store: memoryDedupeStore(), proofs: { secret, events: ['purchase_complete' as never] } })).toThrow(
      /purchase_complete/,
    );
    expect(() => createCollector({ contract, store: memoryDedupeStore(), proofs: { secret: 'short', events: ['purchase_completed'] } })).toThrow(
      /secret/,
    );
  });
});
