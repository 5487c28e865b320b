import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ga4MeasurementProtocol, metaConversionsApi } from 'conversion-kit/server';
import { purchaseEnvelope } from './envelopes';
import { startPlatform, type Platform } from './platform';

let platform: Platform;
beforeEach(async () => {
  platform = await startPlatform();
});
afterEach(() => platform.close());

const ga4 = (options: { retries?: number; timeoutMs?: number; endpoint?: string; maxRetryAfterMs?: number } = {}) =>
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

  it('never retries a 4xx answer other than 408 and 429', async () => {
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

  it('retries a 429 (rate limited) answer and succeeds when the platform lets it through', async () => {
    platform.answer = (_, index) => ({ status: index === 0 ? 429 : 200 });
    await ga4({ retries: 1 }).send(purchaseEnvelope(), {});
    expect(platform.requests).toHaveLength(2);
  });

  it('retries a 408 (request timeout) answer', async () => {
    platform.answer = (_, index) => ({ status: index === 0 ? 408 : 200 });
    await ga4({ retries: 1 }).send(purchaseEnvelope(), {});
    expect(platform.requests).toHaveLength(2);
  });

  it('waits as long as Retry-After asks before the next attempt', async () => {
    platform.answer = (_, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 });
    await ga4({ retries: 1 }).send(purchaseEnvelope(), {});
    const [first, second] = platform.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
  });

  it('gives up at once, retryable, when Retry-After asks for more than maxRetryAfterMs', async () => {
    platform.answer = () => ({ status: 429, headers: { 'retry-after': '120' } });
    const sending = ga4({ retries: 3, maxRetryAfterMs: 10_000 }).send(purchaseEnvelope(), {});
    await expect(sending).rejects.toMatchObject({ retryable: true, status: 429, message: expect.stringContaining('Retry-After of 120 s') });
    expect(platform.requests).toHaveLength(1);
  });

  it('gives up on a rate limit after the last retry with a retryable error', async () => {
    platform.answer = () => ({ status: 429 });
    await expect(ga4({ retries: 1 }).send(purchaseEnvelope(), {})).rejects.toMatchObject({ retryable: true, status: 429 });
    expect(platform.requests).toHaveLength(2);
  });
});

describe('the signal of a leased delivery', () => {
  it('stops the attempt under way and makes no other when it aborts', async () => {
    platform.answer = () => ({ status: 200, delayMs: 1000 });
    const sending = ga4({ retries: 2 }).send(purchaseEnvelope(), { signal: AbortSignal.timeout(100) });
    await expect(sending).rejects.toMatchObject({ retryable: true, message: expect.stringContaining('was stopped (its time ran out) after 1 attempt') });
    expect(platform.requests).toHaveLength(1);
  });

  it('ends a wait for Retry-After when it aborts, without another attempt', async () => {
    platform.answer = () => ({ status: 429, headers: { 'retry-after': '8' } }); // longer than the test's 5 s timeout
    const sending = ga4({ retries: 2 }).send(purchaseEnvelope(), { signal: AbortSignal.timeout(200) });
    await expect(sending).rejects.toMatchObject({ retryable: true, status: 429, message: expect.stringContaining('was stopped') });
    expect(platform.requests).toHaveLength(1);
  });
});

describe('Meta transient errors', () => {
  const meta = () => metaConversionsApi({ pixelId: '1', accessToken: 't', siteUrl: 'https://shop.example', endpoint: platform.url, retries: 1, backoffMs: 5 });

  it('retries an error Meta marks is_transient', async () => {
    platform.answer = (_, index) =>
      index === 0 ? { status: 400, body: { error: { message: 'An unexpected error has occurred', code: 100, is_transient: true } } } : { status: 200 };
    await meta().send(purchaseEnvelope(), {});
    expect(platform.requests).toHaveLength(2);
  });

  it.each([1, 2, 4, 17, 32, 341, 613])('retries Meta error code %i (temporary by Meta\'s list) without is_transient', async (code) => {
    platform.answer = (_, index) => (index === 0 ? { status: 400, body: { error: { message: 'try later', code } } } : { status: 200 });
    await meta().send(purchaseEnvelope(), {});
    expect(platform.requests).toHaveLength(2);
  });

  it('fails a Meta error with is_transient false as not retryable, even with a temporary code', async () => {
    platform.answer = () => ({ status: 400, body: { error: { message: 'no', code: 2, is_transient: false } } });
    await expect(meta().send(purchaseEnvelope(), {})).rejects.toMatchObject({ retryable: false });
    expect(platform.requests).toHaveLength(1);
  });
});
