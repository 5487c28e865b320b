import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCollector, httpForward, memoryDedupeStore } from 'conversion-kit/server';
import { contract } from '../fixtures/contract';
import { purchaseEnvelope } from './envelopes';
import { startPlatform, serveHandler, type Platform } from './platform';
import { recording } from './recording';

let platform: Platform;
beforeEach(async () => {
  platform = await startPlatform();
});
afterEach(() => platform.close());

describe('httpForward', () => {
  it('posts each event in the beacon batch format with the given headers', async () => {
    const envelope = purchaseEnvelope();
    await httpForward({ url: `${platform.url}/collect`, headers: { authorization: 'Bearer t' } }).send(envelope, {});
    expect(platform.requests[0]).toMatchObject({
      path: '/collect',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: { v: 1, events: [JSON.parse(JSON.stringify(envelope))] },
    });
  });

  it('delivers to another collector, which forwards it once', async () => {
    const downstream = recording('warehouse');
    const other = await serveHandler(createCollector({ contract, store: memoryDedupeStore(), destinations: [downstream] }));
    const forward = httpForward({ url: other.url });
    await forward.send(purchaseEnvelope(), {});
    await forward.send(purchaseEnvelope(), {}); // a duplicate there still counts as delivered
    await other.close();
    expect(downstream.received).toHaveLength(1);
  });

  it('fails, without retrying, when the other collector rejects the event', async () => {
    platform.answer = () => ({ status: 200, body: { accepted: 0, duplicates: 0, rejected: [{ index: 0, errors: ['purchase_completed.value: too big'] }], failed: [] } });
    const sending = httpForward({ url: platform.url }).send(purchaseEnvelope(), {});
    await expect(Promise.resolve(sending)).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('purchase_completed.value: too big') });
  });

  it('fails as retryable when the other collector could not forward the event', async () => {
    platform.answer = () => ({ status: 200, body: { accepted: 0, duplicates: 0, rejected: [], failed: [{ index: 0, errors: ['ga4: timed out'] }] } });
    const sending = httpForward({ url: platform.url }).send(purchaseEnvelope(), {});
    await expect(Promise.resolve(sending)).rejects.toMatchObject({ retryable: true });
  });

  it('fails as not retryable when the other collector says its failure is permanent', async () => {
    platform.answer = () => ({ status: 200, body: { accepted: 0, duplicates: 0, skipped: 0, rejected: [], failed: [{ index: 0, errors: ['meta: too old'], retryable: false }] } });
    const sending = httpForward({ url: platform.url }).send(purchaseEnvelope(), {});
    await expect(Promise.resolve(sending)).rejects.toMatchObject({ retryable: false });
  });
});
