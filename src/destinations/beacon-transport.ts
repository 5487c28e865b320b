import type { QueuedEvent } from './beacon-queue';

/** The keepalive quota browsers share between `sendBeacon` and `fetch(..., { keepalive: true })`. */
export const KEEPALIVE_QUOTA = 65536;

/**
 * What the collector made of a batch: `rejected` (index -> errors) when it answered 2xx, else why not
 * and whether another try can help (network error, timeout, 408, 413 split smaller, 429, 5xx).
 */
export type BatchOutcome =
  | { readonly rejected: Readonly<Record<number, unknown>> }
  | { readonly reason: string; readonly retry: boolean; readonly rejected?: undefined };

/** The versioned batch body shared with the collector: `{"v":1,"events":[envelope,...]}`. */
export const batchBody = (items: readonly QueuedEvent[]): string => `{"v":1,"events":[${items.map((i) => i.json).join(',')}]}`;

/** Bytes of `batchBody(items)`. */
export const batchBytes = (items: readonly QueuedEvent[]): number => items.reduce((sum, i) => sum + i.bytes + 1, 20);

/**
 * POSTs one batch as `application/json` and classifies the answer; never throws. `keepalive` lets a
 * request under way outlive a navigation (within the shared quota).
 */
export async function postBatch(url: string, items: readonly QueuedEvent[], timeoutMs: number, keepalive: boolean): Promise<BatchOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      keepalive,
      headers: { 'content-type': 'application/json' },
      body: batchBody(items),
      signal: controller.signal,
    });
    const { status } = response;
    const body = (await response.json().catch(() => null)) as { rejected?: unknown; error?: { message?: unknown } } | null;
    if (response.ok) {
      const rejected: Record<number, unknown> = {};
      for (const entry of Array.isArray(body?.rejected) ? body.rejected : []) rejected[entry?.index] = entry?.errors;
      return { rejected };
    }
    return { reason: `HTTP ${status} ${String(body?.error?.message ?? '')}`.trim(), retry: status >= 500 || [408, 413, 429].includes(status) };
  } catch (error) {
    return { reason: controller.signal.aborted ? `no answer in ${timeoutMs} ms` : String(error), retry: true };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Hands a batch to the browser as the page goes away: `navigator.sendBeacon` with a `text/plain`
 * Blob (CORS-safelisted, so no preflight). `false` when refused (over the quota) or unavailable.
 */
export function beaconBatch(url: string, items: readonly QueuedEvent[]): boolean {
  try {
    return navigator.sendBeacon(url, new Blob([batchBody(items)], { type: 'text/plain;charset=UTF-8' }));
  } catch {
    return false;
  }
}
