import { eventIdFor } from 'conversion-kit/core';

/** The envelope the browser sends for a paid order `order` (campaign, page and GA client id), as JSON. */
export function purchaseEnvelope(order: string) {
  return {
    event: 'purchase_completed',
    eventId: eventIdFor('purchase_completed', order),
    dedupeKey: order,
    conversion: true,
    timestamp: Date.now(),
    payload: { order_id: order, value: 129, currency: 'EUR' },
    campaign: { first: null, last: { utm_source: 'google', utm_medium: 'cpc', gclid: 'abc', landing_page: 'https://shop.example/', referrer: '', captured_at: Date.now() } },
    page: { path: '/thank-you', referrer: 'https://shop.example/checkout' },
    source: 'client',
    identity: { ga_client_id: '468604437.1611708469' },
  };
}
