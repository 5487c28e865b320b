import { describe, expect, it } from 'vitest';
import { eventIdFor } from 'conversion-kit/core';
import { createCollector, memoryDedupeStore, type DedupeStore } from 'conversion-kit/server';
import { contract } from '../fixtures/contract';
import { lead, setup } from './collector-setup';
import { batchOf, purchaseEnvelope } from './envelopes';
import { recording } from './recording';

describe('createCollector', () => {
  it('forwards a new event to every destination and counts it accepted', async () => {
    const { ga4, meta, post } = setup();
    const answer = await post(batchOf(purchaseEnvelope()));
    expect(answer).toMatchObject({ status: 200, body: { accepted: 1, duplicates: 0, skipped: 0, rejected: [], failed: [] } });
    expect(ga4.received.map((r) => r.envelope.eventId)).toEqual([eventIdFor('purchase_completed', 'A-1001')]);
    expect(meta.received).toHaveLength(1);
  });

  it('answers a second report of the same event as a duplicate and forwards nothing', async () => {
    const { ga4, post } = setup();
    await post(batchOf(purchaseEnvelope()));
    const answer = await post(batchOf(purchaseEnvelope()));
    expect(answer.body).toEqual({ accepted: 0, duplicates: 1, skipped: 0, rejected: [], failed: [], pending: [], notes: [] });
    expect(ga4.received).toHaveLength(1);
  });

  it('dedups an event without a dedup key by its eventId', async () => {
    const { ga4, post } = setup();
    const envelope = lead();
    await post(batchOf(envelope));
    expect((await post(batchOf(envelope))).body.duplicates).toBe(1);
    expect(ga4.received).toHaveLength(1);
  });

  it('forwards upper- and lower-case copies of one event id once, under the lower-case id', async () => {
    const { ga4, post } = setup();
    const envelope = lead();
    await post(batchOf({ ...envelope, eventId: envelope.eventId.toUpperCase() }));
    const answer = await post(batchOf(envelope));
    expect(answer.body.duplicates).toBe(1);
    expect(ga4.received.map((r) => r.envelope.eventId)).toEqual([envelope.eventId]);
  });

  it('accepts the derived id of a deduped event in upper case, as the browser and the server tracker do', async () => {
    const { ga4, post } = setup();
    const answer = await post(batchOf(purchaseEnvelope({ eventId: eventIdFor('purchase_completed', 'A-1001').toUpperCase() })));
    expect(answer.body.accepted).toBe(1);
    expect(ga4.received[0]!.envelope.eventId).toBe(eventIdFor('purchase_completed', 'A-1001'));
  });

  it('forwards the same event twice in one batch once', async () => {
    const { ga4, post } = setup();
    const answer = await post(batchOf(purchaseEnvelope(), purchaseEnvelope()));
    expect(answer.body).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(ga4.received).toHaveLength(1);
  });

  it('accepts the good events of a partly bad batch and names event and field of the bad one', async () => {
    const { ga4, post } = setup();
    const bad = purchaseEnvelope({ payload: { order_id: 'A-1002', value: -5, currency: 'EUR' }, dedupeKey: 'A-1002', eventId: eventIdFor('purchase_completed', 'A-1002') });
    const answer = await post(batchOf(lead(), bad));
    expect(answer.status).toBe(200);
    expect(answer.body.accepted).toBe(1);
    expect(answer.body.rejected).toEqual([
      { index: 1, event: 'purchase_completed', eventId: bad.eventId, errors: [expect.stringMatching(/^purchase_completed\.value: /)] },
    ]);
    expect(ga4.received.map((r) => r.envelope.event)).toEqual(['lead_submitted']);
  });

  it('accepts text/plain, what navigator.sendBeacon sends', async () => {
    const { post } = setup();
    const answer = await post(batchOf(purchaseEnvelope()), { 'content-type': 'text/plain;charset=UTF-8' });
    expect(answer.body.accepted).toBe(1);
  });

  it('takes conversion from the contract and drops fields the format does not have', async () => {
    const { ga4, post } = setup();
    await post(batchOf({ ...purchaseEnvelope({ conversion: false }), userData: { email: 'x@example.com' }, admin: true }));
    const forwarded = ga4.received[0]!;
    expect(forwarded.envelope.conversion).toBe(true);
    expect(forwarded.envelope).not.toHaveProperty('userData');
    expect(forwarded.envelope).not.toHaveProperty('admin');
    expect(forwarded.context.userData).toBeUndefined();
  });

  it('keeps delivering to the other destinations when one fails, and lists the failure', async () => {
    const { ga4, meta, onError, post } = setup();
    meta.fail = new Error('Meta answered 500');
    const answer = await post(batchOf(purchaseEnvelope()));
    expect(ga4.received).toHaveLength(1);
    expect(answer.body.accepted).toBe(0);
    expect(answer.body.failed).toEqual([
      { index: 0, event: 'purchase_completed', eventId: eventIdFor('purchase_completed', 'A-1001'), errors: ['meta: Meta answered 500'], retryable: true },
    ]);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ destination: 'meta', reason: 'destination_failed' }));
  });

  it("hands the destination's own error to onError as its cause", async () => {
    const { meta, onError, post } = setup();
    const failure = new Error('Meta answered 500');
    meta.fail = failure;
    await post(batchOf(purchaseEnvelope()));
    expect(onError.mock.calls[0]![0].cause).toBe(failure);
  });

  it('delivers a failed event again to the failed destination only when it is reported again', async () => {
    const { ga4, meta, post } = setup();
    meta.fail = new Error('down');
    await post(batchOf(purchaseEnvelope()));
    meta.fail = null;
    const answer = await post(batchOf(purchaseEnvelope()));
    expect(answer.body).toMatchObject({ accepted: 1, failed: [] });
    expect(ga4.received).toHaveLength(1);
    expect(meta.received).toHaveLength(1);
  });

  it('forwards nothing and reports the event failed when the dedup store fails', async () => {
    const broken: DedupeStore = { claim: () => Promise.reject(new Error('ECONNREFUSED')) };
    const { ga4, meta, post } = setup({ store: broken });
    const answer = await post(batchOf(purchaseEnvelope()));
    expect(answer.status).toBe(200);
    expect(answer.body.failed[0].errors[0]).toContain('the dedup store failed, nothing was sent: ECONNREFUSED');
    expect([...ga4.received, ...meta.received]).toEqual([]);
  });

  it('skips destinations whose consent the request denies, without claiming the event for them', async () => {
    let ads: 'granted' | 'denied' = 'denied';
    const { ga4, meta, post } = setup({ consent: () => ({ ads }) });
    await post(batchOf(purchaseEnvelope()));
    expect([ga4.received.length, meta.received.length]).toEqual([1, 0]);
    ads = 'granted';
    await post(batchOf(purchaseEnvelope()));
    expect([ga4.received.length, meta.received.length]).toEqual([1, 1]);
  });

  it('holds back consent-gated destinations when the consent function throws, and tells onError', async () => {
    const { ga4, meta, onError, post } = setup({ consent: () => { throw new Error('cookie parser broke'); } });
    await post(batchOf(purchaseEnvelope()));
    expect([ga4.received.length, meta.received.length]).toEqual([0, 0]);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/the consent function failed.*: cookie parser broke/) }));
  });

  it('counts an event that consent kept from every destination as skipped, not accepted', async () => {
    const { post } = setup({ consent: () => ({ analytics: 'pending', ads: 'pending' }) });
    const answer = await post(batchOf(purchaseEnvelope()));
    expect(answer.body).toEqual({ accepted: 0, duplicates: 0, skipped: 1, rejected: [], failed: [], pending: [], notes: [] });
  });

  it('counts an event delivered to some destinations and kept from others by consent as accepted', async () => {
    const { post } = setup({ consent: () => ({ ads: 'denied' }) });
    const answer = await post(batchOf(purchaseEnvelope()));
    expect(answer.body).toMatchObject({ accepted: 1, skipped: 0 });
  });
});

describe('client IP and user agent (opt-in)', () => {
  const headers = { 'user-agent': 'Mozilla/5.0 Test', 'x-forwarded-for': '203.0.113.7, 10.0.0.1' };

  it('are not forwarded by default', async () => {
    const { meta, post } = setup();
    await post(batchOf(purchaseEnvelope()), headers);
    expect(meta.received[0]!.context.client).toEqual({});
  });

  it('are forwarded when the integrator opts in', async () => {
    const { meta, post } = setup({
      clientInfo: { userAgent: true, ipAddress: (request) => request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() },
    });
    await post(batchOf(purchaseEnvelope()), headers);
    expect(meta.received[0]!.context.client).toEqual({ userAgent: 'Mozilla/5.0 Test', ipAddress: '203.0.113.7' });
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    new Request('https://collect.example/api/collect', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

  it('answers a preflight from an allowed origin', async () => {
    const { collector } = setup({ allowedOrigins: ['https://shop.example'] });
    const response = await collector(preflight('https://shop.example'));
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'access-control-allow-origin': 'https://shop.example',
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'content-type',
      vary: 'Origin',
    });
  });

  it('refuses a preflight from another origin, without CORS headers', async () => {
    const { collector } = setup({ allowedOrigins: ['https://shop.example'] });
    const response = await collector(preflight('https://evil.example'));
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('origin_not_allowed');
  });

  it('adds CORS headers to a POST from an allowed origin', async () => {
    const { post } = setup({ allowedOrigins: ['https://shop.example'] });
    const answer = await post(batchOf(purchaseEnvelope()), { origin: 'https://shop.example' });
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });

  it('accepts a same-origin POST without listing the origin, and adds no CORS headers', async () => {
    const { post } = setup();
    const answer = await post(batchOf(purchaseEnvelope()), { origin: 'https://shop.example' });
    expect(answer.body.accepted).toBe(1);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses an allowedOrigins entry that is not an origin, saying how to write it', () => {
    expect(() => setup({ allowedOrigins: ['shop.example'] })).toThrow('write scheme and host only, like "https://shop.example"');
  });
});

describe('programmer errors', () => {
  it('refuses two destinations with the same name: names key the dedup ledger', () => {
    expect(() => createCollector({ contract, store: memoryDedupeStore(), destinations: [recording('ga4'), recording('ga4')] })).toThrow(
      'two destinations are named "ga4"',
    );
  });

  it('refuses a missing store', () => {
    expect(() => createCollector({ contract, store: undefined as never })).toThrow('`store` must be a dedup store');
  });
});

describe('integrator callbacks that throw', () => {
  it('forward the event without an IP when the IP reader throws', async () => {
    const { meta, post } = setup({ clientInfo: { userAgent: true, ipAddress: () => { throw new Error('no header'); } } });
    const answer = await post(batchOf(purchaseEnvelope()), { 'user-agent': 'UA' });
    expect(answer.status).toBe(200);
    expect(meta.received[0]!.context.client).toEqual({ userAgent: 'UA' });
  });
});
