import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ForwardError, ga4MeasurementProtocol } from 'conversion-kit/server';
import { purchaseEnvelope } from './envelopes';
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
          params: { transaction_id: 'A-1001', value: 129, currency: 'EUR', order_id: 'A-1001' },
        },
      ],
    });
  });

  it('sends an unmapped event under its own name', async () => {
    await destination().send(purchaseEnvelope({ event: 'lead_submitted', dedupeKey: null, payload: { form_id: 'demo' } }), {});
    expect(ga4.requests[0]!.body.events).toEqual([{ name: 'lead_submitted', params: { form_id: 'demo' } }]);
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
