import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ForwardError, ga4MeasurementProtocol } from 'conversion-kit/server';
import { ORDER, purchaseEnvelope } from './envelopes';
import { startPlatform, type Platform } from './platform';

let ga4: Platform;
beforeEach(async () => {
  ga4 = await startPlatform();
});
afterEach(() => ga4.close());

const destination = (options: Partial<Parameters<typeof ga4MeasurementProtocol>[0]> = {}) =>
  ga4MeasurementProtocol({
    measurementId: 'G-TEST123',
    apiSecret: 'secret-1',
    endpoint: `${ga4.url}/mp/collect`,
    events: { purchase_completed: 'purchase' },
    backoffMs: 1,
    ...options,
  });

const refusal = (reason: string) => ({ name: 'ForwardError', retryable: false, message: expect.stringContaining(reason) });

describe('ga4MeasurementProtocol', () => {
  it('posts the Measurement Protocol payload for a purchase', async () => {
    const envelope = purchaseEnvelope();
    await destination().send(envelope, {});
    expect(ga4.requests).toHaveLength(1);
    const [request] = ga4.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/mp/collect');
    expect(request!.query).toEqual({ measurement_id: 'G-TEST123', api_secret: 'secret-1' });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).toEqual({
      client_id: '468604437.1611708469',
      timestamp_micros: envelope.timestamp * 1000,
      events: [
        {
          name: 'purchase',
          params: { transaction_id: 'A-1001', value: 129, currency: 'EUR', engagement_time_msec: 1, order_id: 'A-1001' },
        },
      ],
    });
  });

  it('sends an unmapped event under its own name', async () => {
    await destination().send(purchaseEnvelope({ event: 'lead_submitted', dedupeKey: null, payload: { form_id: 'demo' } }), {});
    expect(ga4.requests[0]!.body.events).toEqual([{ name: 'lead_submitted', params: { engagement_time_msec: 1, form_id: 'demo' } }]);
  });

  it('adds GA4 consent in upper case when the ads consent is known', async () => {
    await destination().send(purchaseEnvelope(), { consent: { ads: 'denied' } });
    expect(ga4.requests[0]!.body.consent).toEqual({ ad_user_data: 'DENIED', ad_personalization: 'DENIED' });
  });

  it('derives a stable client id of two numbers from the event id when the envelope has none', async () => {
    const envelope = purchaseEnvelope({ identity: undefined });
    await destination().send(envelope, {});
    await destination().send(envelope, {});
    const [first, second] = ga4.requests.map((request) => request.body.client_id);
    expect(first).toMatch(/^\d+\.\d+$/);
    expect(second).toBe(first);
  });

  it('refuses to send without a client id when missingClientId is "fail", and does not retry', async () => {
    const sending = destination({ missingClientId: 'fail' }).send(purchaseEnvelope({ identity: undefined }), {});
    await expect(sending).rejects.toMatchObject({ name: 'ForwardError', retryable: false, message: expect.stringContaining('no GA client id') });
    expect(ga4.requests).toHaveLength(0);
  });

  it('sends a timestamp from the future as now', async () => {
    const before = Date.now();
    await destination().send(purchaseEnvelope({ timestamp: before + 3_600_000 }), {});
    const micros = ga4.requests[0]!.body.timestamp_micros;
    expect(micros).toBeGreaterThanOrEqual(before * 1000);
    expect(micros).toBeLessThanOrEqual(Date.now() * 1000);
  });

  it('does not send an event more than 72 hours old', async () => {
    const sending = destination().send(purchaseEnvelope({ timestamp: Date.now() - 73 * 3_600_000 }), {});
    await expect(sending).rejects.toThrow('more than 72 hours old');
    expect(ga4.requests).toHaveLength(0);
  });

  it('never puts the api secret in an error message', async () => {
    ga4.answer = () => ({ status: 403, body: { error: 'forbidden' } });
    const error = await Promise.resolve(destination().send(purchaseEnvelope(), {})).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ForwardError);
    expect((error as Error).message).toContain('answered 403');
    expect((error as Error).message).not.toContain('secret-1');
  });
});

// Google, "Send Measurement Protocol events to Google Analytics", Limitations:
// https://developers.google.com/analytics/devguides/collection/protocol/ga4/sending-events#limitations
// Reserved event names: https://developers.google.com/analytics/devguides/collection/protocol/ga4/reference#reserved_names
// 200 items per event: "Event collection limits", https://support.google.com/analytics/answer/9267744
describe('ga4MeasurementProtocol refuses what GA4 would drop or cut', () => {
  it('throws at creation for a mapped name GA4 does not take', () => {
    expect(() => destination({ events: { purchase_completed: 'purchase-completed' } })).toThrow(/events\.purchase_completed: GA4 event names are at most 40/);
    expect(() => destination({ events: { purchase_completed: 'p'.repeat(41) } })).toThrow(/at most 40/);
    expect(() => destination({ events: { purchase_completed: '1purchase' } })).toThrow(/starting with a letter/);
    expect(() => destination({ events: { purchase_completed: 'session_start' } })).toThrow(/session_start is a name GA4 reserves/);
    expect(() => destination({ events: { purchase_completed: 'p'.repeat(40) } })).not.toThrow();
  });

  it('fails an unmapped event whose own name GA4 does not take, without a request', async () => {
    const long = 'purchase_completed_through_the_checkout_of_the_online_shop';
    await expect(destination().send(purchaseEnvelope({ event: long }), {})).rejects.toMatchObject(refusal('at most 40'));
    await expect(destination().send(purchaseEnvelope({ event: 'first_visit' }), {})).rejects.toMatchObject(refusal('first_visit is a name GA4 reserves'));
    expect(ga4.requests).toHaveLength(0);
  });

  it('sends a transaction_id of 100 characters whole, and fails one of 101 instead of cutting it', async () => {
    const id = 'A'.repeat(100);
    await destination().send(purchaseEnvelope({ payload: { order_id: id, value: 1, currency: 'EUR' } }), {});
    expect(ga4.requests[0]!.body.events[0].params.transaction_id).toBe(id);
    const sending = destination().send(purchaseEnvelope({ payload: { order_id: `${id}1`, value: 1, currency: 'EUR' } }), {});
    await expect(sending).rejects.toMatchObject(refusal('transaction_id is longer than 100 characters'));
    expect(ga4.requests).toHaveLength(1);
  });

  it('fails an event with another parameter over 100 characters rather than cutting it', async () => {
    const sending = destination().send(purchaseEnvelope({ payload: { ...ORDER, coupon: 'x'.repeat(101) } }), {});
    await expect(sending).rejects.toMatchObject(refusal('coupon is longer than 100 characters'));
    expect(ga4.requests).toHaveLength(0);
  });

  it('sends 200 items and fails 201', async () => {
    const items = (count: number) => Array.from({ length: count }, (_, index) => ({ item_id: `SKU-${index}`, price: 1, quantity: 1 }));
    await destination().send(purchaseEnvelope({ payload: { ...ORDER, items: items(200) } }), {});
    expect(ga4.requests[0]!.body.events[0].params.items).toHaveLength(200);
    await expect(destination().send(purchaseEnvelope({ payload: { ...ORDER, items: items(201) } }), {})).rejects.toMatchObject(refusal('201 items, GA4 takes 200'));
    expect(ga4.requests).toHaveLength(1);
  });

  it('fails an item with more than 10 custom parameters, an item_name over 100 characters, or no id and no name', async () => {
    const custom = Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`custom_${index}`, 'x']));
    const send = (item: object) => destination().send(purchaseEnvelope({ payload: { ...ORDER, items: [item] } }), {});
    await expect(send({ item_id: 'SKU-1', ...custom })).rejects.toMatchObject(refusal('items[0] has 11 custom parameters, GA4 takes 10'));
    await expect(send({ item_id: 'SKU-1', item_name: 'n'.repeat(101) })).rejects.toMatchObject(refusal('items[0].item_name is longer than 100'));
    await expect(send({ price: 1 })).rejects.toMatchObject(refusal('items[0] has neither item_id nor item_name'));
    expect(ga4.requests).toHaveLength(0);
  });

  it('fails an event whose body would reach 130 kB', async () => {
    const custom = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`custom_${index}`, 'x'.repeat(70)]));
    const items = Array.from({ length: 200 }, (_, index) => ({ item_id: `SKU-${index}`, ...custom }));
    await expect(destination().send(purchaseEnvelope({ payload: { ...ORDER, items } }), {})).rejects.toMatchObject(refusal('GA4 takes less than 130 kB'));
    expect(ga4.requests).toHaveLength(0);
  });
});

// Google, "Send Measurement Protocol events to Google Analytics": "In order for user activity to
// display in reports like Realtime, engagement_time_msec and session_id must be supplied as part of
// the params for an event." https://developers.google.com/analytics/devguides/collection/protocol/ga4/sending-events
describe('ga4MeasurementProtocol sessions and user id', () => {
  it('sends the session id from the envelope identity with a positive engagement time', async () => {
    const identity = { ga_client_id: '468604437.1611708469', ga_session_id: '1746825440', ga_session_number: '14' };
    await destination().send(purchaseEnvelope({ identity }), {});
    expect(ga4.requests[0]!.body.events[0].params).toEqual({
      transaction_id: 'A-1001', value: 129, currency: 'EUR', session_id: '1746825440', engagement_time_msec: 1, order_id: 'A-1001',
    });
  });

  it('sends user_id when userId gives one, and fails one over 256 characters', async () => {
    await destination({ userId: () => 'customer-4711' }).send(purchaseEnvelope(), {});
    expect(ga4.requests[0]!.body.user_id).toBe('customer-4711');
    await expect(destination({ userId: () => 'u'.repeat(257) }).send(purchaseEnvelope(), {})).rejects.toMatchObject(refusal('user_id'));
    expect(ga4.requests).toHaveLength(1);
  });
});

describe('ga4MeasurementProtocol values', () => {
  it('sends a numeric string value ("129.50") as the number 129.5, and leaves out a value that is no number', async () => {
    await destination().send(purchaseEnvelope({ payload: { order_id: 'A-1001', value: '129.50', currency: 'EUR' } }), {});
    expect(ga4.requests[0]!.body.events[0].params.value).toBe(129.5);
    await destination().send(purchaseEnvelope({ payload: { order_id: 'A-1001', value: 'a lot', currency: 'EUR' } }), {});
    expect(ga4.requests[1]!.body.events[0].params).not.toHaveProperty('value');
  });
});
