import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ga4MeasurementProtocol, metaConversionsApi } from 'conversion-kit/server';
import { purchaseEnvelope } from './envelopes';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
beforeEach(async () => {
  platform = await startPlatform();
});
afterEach(() => platform.close());

const ga4 = (options: { retries?: number; timeoutMs?: number; endpoint?: string } = {}) =>
  ga4MeasurementProtocol({ measurementId: 'G-1', apiSecret: 's', endpoint: `${platform.url}/mp/collect`, backoffMs: 5, ...options });

describe('retries and timeouts of server destinations', () => {
  it('retries a 5xx answer and succeeds when the platform recovers', async () => {
    platform.answer = (_, index) => ({ status: index < 2 ? 503 : 200 });
    await ga4({ retries: 2 }).send(purchaseEnvelope(), {});
    expect(platform.requests).toHaveLength(3);
  });

  it('sends the same payload on every attempt', async () => {
    platform.answer = (_, index) => ({ status: index === 0 ? 500 : 200 });
    await ga4({ retries: 1 }).send(purchaseEnvelope(), {});
    expect(platform.requests[1]!.body).toEqual(platform.requests[0]!.body);
  });

  it('gives up after the last retry with a retryable error naming the status', async () => {
    platform.answer = () => ({ status: 502 });
    const sending = ga4({ retries: 2 }).send(purchaseEnvelope(), {});
    await expect(sending).rejects.toMatchObject({ retryable: true, status: 502, message: expect.stringContaining('502') });
    expect(platform.requests).toHaveLength(3);
  });

  it('never retries a 4xx answer', async () => {
    platform.answer = () => ({ status: 400, body: { error: { message: 'Invalid parameter', code: 100 } } });
    const meta = metaConversionsApi({ pixelId: '1', accessToken: 't', siteUrl: 'https://shop.example', endpoint: platform.url, retries: 3, backoffMs: 5 });
    await expect(meta.send(purchaseEnvelope(), {})).rejects.toMatchObject({
      retryable: false,
      status: 400,
      message: expect.stringContaining('Invalid parameter'),
    });
    expect(platform.requests).toHaveLength(1);
  });

  it('aborts an attempt after timeoutMs and retries it', async () => {
    platform.answer = (_, index) => ({ status: 200, delayMs: index === 0 ? 1000 : 0 });
    await ga4({ timeoutMs: 100, retries: 1 }).send(purchaseEnvelope(), {});
    expect(platform.requests).toHaveLength(2);
  });

  it('reports a timeout as a retryable error after the last attempt', async () => {
    platform.answer = () => ({ status: 200, delayMs: 1000 });
    const sending = ga4({ timeoutMs: 50, retries: 1 }).send(purchaseEnvelope(), {});
    await expect(sending).rejects.toMatchObject({ retryable: true, message: expect.stringContaining('timed out after 50 ms, after 2 attempts') });
  });

  it('retries a network error (nothing listening) and then reports it', async () => {
    const url = platform.url;
    await platform.close();
    const sending = ga4({ endpoint: `${url}/mp/collect`, retries: 1 }).send(purchaseEnvelope(), {});
    await expect(sending).rejects.toMatchObject({ retryable: true, message: expect.stringContaining('could not be reached (ECONNREFUSED), after 2 attempts') });
    platform = await startPlatform(); // for afterEach
  });
});
