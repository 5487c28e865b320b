import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventIdFor } from 'conversion-kit/core';
import { metaConversionsApi } from 'conversion-kit/server';
import { purchaseEnvelope } from './envelopes';
import { startPlatform, type Platform } from './platform';

let meta: Platform;
beforeEach(async () => {
  meta = await startPlatform();
  meta.answer = () => ({ status: 200, body: { events_received: 1, messages: [], fbtrace_id: 'trace' } });
});
afterEach(() => meta.close());

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const destination = (options: Partial<Parameters<typeof metaConversionsApi>[0]> = {}) =>
  metaConversionsApi({
    pixelId: '1234567890',
    accessToken: 'token-1',
    endpoint: meta.url,
    apiVersion: 'v21.0',
    events: { purchase_completed: 'Purchase' },
    siteUrl: 'https://shop.example',
    backoffMs: 1,
    ...options,
  });

describe('metaConversionsApi', () => {
  it('posts the Conversions API payload for a purchase, with the envelope eventId as event_id', async () => {
    const envelope = purchaseEnvelope();
    await destination({ testEventCode: 'TEST42' }).send(envelope, {
      userData: { email: 'Ada@Example.com ', phone: '+44 20 7183 8750', firstName: 'Ada', lastName: 'Lovelace' },
      client: { ipAddress: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' },
    });
    expect(meta.requests).toHaveLength(1);
    const [request] = meta.requests;
    expect(request!.path).toBe('/v21.0/1234567890/events');
    expect(request!.query).toEqual({ access_token: 'token-1' });
    expect(request!.body).toEqual({
      data: [
        {
          event_name: 'Purchase',
          event_time: Math.floor(envelope.timestamp / 1000),
          event_id: eventIdFor('purchase_completed', 'A-1001'),
          action_source: 'website',
          event_source_url: 'https://shop.example/checkout/thank-you',
          user_data: {
            em: [sha256('ada@example.com')],
            ph: [sha256('442071838750')],
            fn: [sha256('ada')],
            ln: [sha256('lovelace')],
            fbc: 'fb.1.1764370000000.IwAR1abc',
            fbp: 'fb.1.1596403881668.1116446470',
            client_ip_address: '203.0.113.7',
            client_user_agent: 'Mozilla/5.0 (X11; Linux x86_64)',
          },
          custom_data: { value: 129, currency: 'EUR', order_id: 'A-1001' },
        },
      ],
      test_event_code: 'TEST42',
    });
  });

  it('sends no IP or user agent when the context has none', async () => {
    await destination().send(purchaseEnvelope(), {});
    const userData = meta.requests[0]!.body.data[0].user_data;
    expect(userData).toEqual({ fbc: 'fb.1.1764370000000.IwAR1abc', fbp: 'fb.1.1596403881668.1116446470' });
  });

  it('takes fbc from the campaign touch when the envelope identity has none', async () => {
    await destination().send(purchaseEnvelope({ identity: undefined }), {});
    expect(meta.requests[0]!.body.data[0].user_data).toEqual({ fbc: 'fb.1.1764370000000.IwAR1abc' });
  });

  it('keeps event_source_url on the site when page.path is protocol-relative', async () => {
    await destination().send(purchaseEnvelope({ page: { path: '//evil.example/phish', referrer: '' } }), {});
    expect(meta.requests[0]!.body.data[0].event_source_url).toBe('https://shop.example/');
  });

  it('keeps event_source_url on the site when page.path smuggles a host behind a backslash', async () => {
    await destination().send(purchaseEnvelope({ page: { path: '/\\evil.example/phish', referrer: '' } }), {});
    expect(meta.requests[0]!.body.data[0].event_source_url).toBe('https://shop.example/');
  });

  it('sends the site root as event_source_url for an event without a page (a webhook)', async () => {
    await destination().send(purchaseEnvelope({ page: { path: '', referrer: '' } }), {});
    expect(meta.requests[0]!.body.data[0].event_source_url).toBe('https://shop.example/');
  });

  it('refuses to be created without siteUrl: Meta requires event_source_url for website events', () => {
    expect(() => destination({ siteUrl: undefined })).toThrow('metaConversionsApi needs `siteUrl`');
  });

  it('sends an unmapped event under its own name, without custom_data when it has no value fields', async () => {
    await destination().send(purchaseEnvelope({ event: 'cta_clicked', dedupeKey: null, payload: { cta_id: 'hero' } }), {});
    const event = meta.requests[0]!.body.data[0];
    expect(event.event_name).toBe('cta_clicked');
    expect(event).not.toHaveProperty('custom_data');
  });

  it('does not send an event whose event_time is over 7 days old (Meta would fail the whole request)', async () => {
    const sending = destination().send(purchaseEnvelope({ timestamp: Date.now() - 8 * 86_400_000 }), {});
    await expect(sending).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('more than 7 days old') });
    expect(meta.requests).toHaveLength(0);
  });

  it('sends a six-day-old event with its own event_time', async () => {
    const timestamp = Date.now() - 6 * 86_400_000;
    await destination().send(purchaseEnvelope({ timestamp }), {});
    expect(meta.requests[0]!.body.data[0].event_time).toBe(Math.floor(timestamp / 1000));
  });

  it('sends an event_time from the future as now', async () => {
    await destination().send(purchaseEnvelope({ timestamp: Date.now() + 3_600_000 }), {});
    expect(Math.abs(meta.requests[0]!.body.data[0].event_time - Date.now() / 1000)).toBeLessThan(5);
  });

  it('never puts the access token in an error message', async () => {
    meta.answer = () => ({ status: 400, body: { error: { message: 'Invalid OAuth access token', code: 190 } } });
    const error = (await Promise.resolve(destination().send(purchaseEnvelope(), {})).catch((caught: unknown) => caught)) as Error;
    expect(error.message).toContain('Invalid OAuth access token');
    expect(error.message).not.toContain('token-1');
  });
});

describe('metaConversionsApi values', () => {
  it('sends a numeric string value ("129.50") as the number 129.5 in custom_data', async () => {
    await destination().send(purchaseEnvelope({ payload: { order_id: 'A-1001', value: '129.50', currency: 'EUR' } }), {});
    expect(meta.requests[0]!.body.data[0].custom_data).toMatchObject({ value: 129.5, currency: 'EUR' });
  });
});
