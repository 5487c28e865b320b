import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineContract, type TrackingError } from 'conversion-kit/core';
import { createCollector, createServerTracker, ga4MeasurementProtocol, memoryDedupeStore, metaConversionsApi } from 'conversion-kit/server';
import { batchOf, purchaseEnvelope } from './envelopes';
import { startPlatform, type Platform } from './platform';

// Issue 10's rule: "a value is either sent in the form the platform documents, or left out with a
// recorded reason". What a server destination leaves out reaches the integrator: in the destination's
// `delivered` outcome (`omitted`, one line per value, naming the field and why, never its value) and
// in an `onError` call with reason `data_omitted`.

let platform: Platform;
beforeEach(async () => {
  platform = await startPlatform();
});
afterEach(() => platform.close());

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const ga4 = () =>
  ga4MeasurementProtocol({ measurementId: 'G-TEST123', apiSecret: 's', endpoint: `${platform.url}/mp/collect`, events: { purchase_completed: 'purchase' }, backoffMs: 1 });
const meta = () =>
  metaConversionsApi({ pixelId: '1', accessToken: 't', endpoint: platform.url, events: { purchase_completed: 'Purchase' }, siteUrl: 'https://shop.example', backoffMs: 1 });

// 30 custom fields: with transaction_id, value, currency and engagement_time_msec that is 34 params.
const MANY = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field_${String(i + 1).padStart(2, '0')}`, `v${i + 1}`]));

describe('GA4 Measurement Protocol: params past the 25th', () => {
  // "Event parameters per event: 25" and "Analytics doesn't log events, event parameters ... that
  // exceed the following limits" (Google Analytics Help, Event collection limits,
  // https://support.google.com/analytics/answer/9267744); the Measurement Protocol's own
  // "Limitations" section repeats it: events can have a maximum of 25 parameters
  // (https://developers.google.com/analytics/devguides/collection/protocol/ga4/sending-events#limitations).
  it('sends exactly 25 params and names each one left out with the reason', async () => {
    const envelope = purchaseEnvelope({ payload: { order_id: 'A-1001', value: 129, currency: 'EUR', ...MANY } });
    const result = await ga4().send(envelope, {});
    const firstKept = Object.fromEntries(Object.entries(MANY).slice(0, 20));
    expect(platform.requests[0]!.body.events[0].params).toEqual({
      transaction_id: 'A-1001',
      value: 129,
      currency: 'EUR',
      engagement_time_msec: 1,
      order_id: 'A-1001',
      ...firstKept,
    });
    expect(Object.keys(platform.requests[0]!.body.events[0].params)).toHaveLength(25);
    expect(result).toEqual({
      omitted: Array.from({ length: 10 }, (_, i) => `field_${i + 21}: GA4 takes 25 parameters per event, left out`),
    });
  });

  it('names payload fields GA4 does not take instead of dropping them silently', async () => {
    const envelope = purchaseEnvelope({
      payload: { order_id: 'A-1001', value: '12,50', currency: 'euro', 'gift-wrap': 'yes', ga_flag: 'x', address: { city: 'Paris' } },
    });
    const result = await ga4().send(envelope, {});
    expect(platform.requests[0]!.body.events[0].params).toEqual({ transaction_id: 'A-1001', engagement_time_msec: 1, order_id: 'A-1001' });
    expect(result).toEqual({
      omitted: [
        'value: not a number or a decimal string, left out',
        'currency: not a 3-letter ISO 4217 code, left out',
        'gift-wrap: not a GA4 parameter name (letters, digits and underscores, starting with a letter), left out',
        'ga_flag: a prefix GA4 reserves (ga_, google_, firebase_), left out',
        'address: not a string, number or boolean, left out',
      ],
    });
  });

  it("names a payload's session_id and engagement_time_msec: the kit sets them, from the visitor's GA4 session", async () => {
    // "session_id" and "engagement_time_msec" join an event to the session (Measurement Protocol,
    // "Send events" page, https://developers.google.com/analytics/devguides/collection/protocol/ga4/sending-events):
    // an app's own session id in the payload would join the event to a session GA4 never saw.
    const envelope = purchaseEnvelope({
      payload: { order_id: 'A-1001', value: 129, currency: 'EUR', session_id: 'app-session-7', engagement_time_msec: 0 },
      identity: { ga_client_id: '1.2', ga_session_id: '1746825440' },
    });
    const result = await ga4().send(envelope, {});
    expect(platform.requests[0]!.body.events[0].params).toMatchObject({ session_id: '1746825440', engagement_time_msec: 1 });
    expect(result).toEqual({
      omitted: [
        "session_id: the kit sets it from the visitor's GA4 session (identity.ga_session_id), left out",
        "engagement_time_msec: the kit sets it from the visitor's GA4 session (identity.ga_session_id), left out",
      ],
    });
    // Without a GA4 session, the payload's session_id is not sent as one either.
    await ga4().send(purchaseEnvelope({ eventId: undefined as never, payload: { order_id: 'A-1002', value: 1, currency: 'EUR', session_id: 'app-session-7' } }), {});
    expect(platform.requests[1]!.body.events[0].params.session_id).toBeUndefined();
  });

  it('answers nothing extra when nothing was left out', async () => {
    expect(await ga4().send(purchaseEnvelope(), {})).toBeUndefined();
  });
});

describe('Meta Conversions API: match keys left out', () => {
  it('names each match key it could not put in Meta\'s form, never its value', async () => {
    const result = await meta().send(purchaseEnvelope(), {
      userData: { email: 'not-an-email', phone: '(650) 555-1212', gender: 'robot', country: 'Narnia', firstName: 'Ada' },
    });
    expect(platform.requests[0]!.body.data[0].user_data).toEqual({
      fn: [sha256('ada')],
      fbc: 'fb.1.1764370000000.IwAR1abc',
      fbp: 'fb.1.1596403881668.1116446470',
    });
    expect(result).toEqual({
      omitted: [
        'user_data.em (email): not an e-mail address, left out',
        'user_data.ph (phone): no country code, or not 7 to 15 digits, left out',
        'user_data.ge (gender): not a word for female or male, left out',
        'user_data.country (country): not a known country, left out',
      ],
    });
    expect(JSON.stringify(result)).not.toMatch(/not-an-email|650|robot|Narnia/);
  });

  it('names a custom_data value that is not a number', async () => {
    const result = await meta().send(purchaseEnvelope({ payload: { order_id: 'A-1001', value: '12,50', currency: 'EUR' } }), {});
    expect(platform.requests[0]!.body.data[0].custom_data).toEqual({ currency: 'EUR', order_id: 'A-1001' });
    expect(result).toEqual({ omitted: ['value: not a number or a decimal string, left out'] });
  });
});

const contract = defineContract({
  purchase_completed: { schema: z.looseObject({ order_id: z.string(), value: z.number(), currency: z.string() }), dedupeBy: 'order_id', conversion: true },
});

describe('what reaches the integrator', () => {
  it('the server tracker returns what was left out in the destination\'s delivered outcome, and onError hears it', async () => {
    const onError = vi.fn<(error: TrackingError) => void>();
    const tracker = createServerTracker({ contract, store: memoryDedupeStore(), destinations: [meta()], onError });
    const result = await tracker.track('purchase_completed', { order_id: 'A-1001', value: 129, currency: 'EUR' }, { userData: { phone: '(650) 555-1212' } });
    expect(result.destinations).toEqual([
      {
        destination: 'meta-conversions-api',
        status: 'delivered',
        omitted: ['user_data.ph (phone): no country code, or not 7 to 15 digits, left out'],
      },
    ]);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![0]).toMatchObject({
      reason: 'data_omitted',
      event: 'purchase_completed',
      destination: 'meta-conversions-api',
      message: '[conversion-kit] purchase_completed reached meta-conversions-api without: user_data.ph (phone): no country code, or not 7 to 15 digits, left out',
    });
  });

  it('the collector reports GA4 params past the 25th to onError, and still counts the event accepted', async () => {
    const onError = vi.fn<(error: TrackingError) => void>();
    const collector = createCollector({ contract, store: memoryDedupeStore(), destinations: [ga4()], onError, consent: () => undefined });
    const envelope = purchaseEnvelope({ payload: { order_id: 'A-1001', value: 129, currency: 'EUR', ...MANY } });
    const response = await collector(new Request('https://shop.example/collect', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: batchOf(envelope) }));
    expect(await response.json()).toMatchObject({ accepted: 1, failed: [] });
    expect(Object.keys(platform.requests[0]!.body.events[0].params)).toHaveLength(25);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![0]).toMatchObject({ reason: 'data_omitted', destination: 'ga4-measurement-protocol' });
    expect(onError.mock.calls[0]![0].message).toContain('field_30: GA4 takes 25 parameters per event, left out');
  });

  it('a delivery that left nothing out has no omitted and calls no onError', async () => {
    const onError = vi.fn();
    const tracker = createServerTracker({ contract, store: memoryDedupeStore(), destinations: [meta()], onError });
    const result = await tracker.track('purchase_completed', { order_id: 'A-1002', value: 129, currency: 'EUR' }, { userData: { phone: '+1 650 555 1212' } });
    expect(result.destinations).toEqual([{ destination: 'meta-conversions-api', status: 'delivered' }]);
    expect(onError).not.toHaveBeenCalled();
  });
});
