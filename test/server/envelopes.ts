import { eventIdFor, type Envelope } from 'conversion-kit/core';

export const ORDER = { order_id: 'A-1001', value: 129, currency: 'EUR' } as const;

/** The envelope the browser tracker builds for order A-1001, with a GA client id and Meta ids. */
export function purchaseEnvelope(overrides: Partial<Envelope> = {}): Envelope {
  return {
    event: 'purchase_completed',
    eventId: eventIdFor('purchase_completed', 'A-1001'),
    dedupeKey: 'A-1001',
    conversion: true,
    timestamp: Date.now() - 1000,
    payload: { ...ORDER },
    campaign: {
      first: null,
      last: {
        utm_source: 'meta',
        utm_medium: 'paid_social',
        fbclid: 'IwAR1abc',
        fbc: 'fb.1.1764370000000.IwAR1abc',
        landing_page: 'https://shop.example/landing',
        referrer: '',
        captured_at: Date.now() - 60_000,
      },
    },
    page: { path: '/checkout/thank-you', referrer: 'https://shop.example/checkout' },
    source: 'client',
    identity: { ga_client_id: '468604437.1611708469', fbp: 'fb.1.1596403881668.1116446470' },
    ...overrides,
  };
}

/** A batch body in the beacon format. */
export const batchOf = (...events: unknown[]) => JSON.stringify({ v: 1, events });
