import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  createTracker,
  defineContract,
  eventIdFor,
  isUuid,
  memoryStorage,
  TrackingError,
  type Destination,
  type Envelope,
  type KeyValueStorage,
  type TrackingRecord,
} from 'conversion-kit/core';
import { contract } from '../fixtures/contract';

const order = { order_id: 'A-1001', value: 129, currency: 'EUR' };
// Computed once, also by the Python snippet in the README; a change breaks dedup with servers.
const FROZEN_ID = '219760fd-5a25-8010-bbce-0844ce9b0ccb';
const FROZEN_UNICODE_ID = 'b09d0899-fcfb-8cf4-87db-73ade07bc6c9';

function recording(name = 'recorder'): Destination & { received: Envelope[] } {
  const received: Envelope[] = [];
  return { name, received, send: (envelope) => void received.push(envelope) };
}

function setup(options: Partial<Parameters<typeof createTracker>[0]> = {}) {
  const destination = recording();
  const onError = vi.fn();
  const records: TrackingRecord[] = [];
  const tracker = createTracker({
    contract,
    storage: memoryStorage(),
    campaign: false,
    destinations: [destination],
    onError,
    ...options,
  });
  tracker.subscribe((record) => records.push(record));
  return { tracker, destination, onError, records };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('track', () => {
  it('validates, enriches and hands one envelope to every destination', () => {
    const first = recording('first');
    const second = recording('second');
    const { tracker } = setup({ destinations: [first, second] });
    const result = tracker.track('purchase_completed', order);
    expect(result).toEqual({ status: 'sent', eventId: eventIdFor('purchase_completed', 'A-1001') });
    const envelope = {
      event: 'purchase_completed',
      eventId: result.eventId,
      dedupeKey: 'A-1001',
      conversion: true,
      timestamp: expect.any(Number),
      payload: order,
      campaign: { first: null, last: null },
      page: { path: '', referrer: '' },
      source: 'client',
    };
    expect(first.received).toEqual([envelope]);
    expect(second.received).toEqual([envelope]);
    tracker.track('cta_clicked', { cta_id: 'hero' });
    expect(second.received.map((e) => [e.event, e.conversion])).toEqual([['purchase_completed', true], ['cta_clicked', false]]);
  });

  it('derives the event id from the event and dedup key as a name-based UUID v8 any side can compute', () => {
    // An independent FNV-1a 128 (offset basis and prime from the FNV specification).
    let hash = 0x6c62272e07bb014262b821756295c58dn;
    for (const byte of Buffer.from('74f7d867-cd9f-4a5a-a9e4-e098640fd08f:purchase_completed:A-1001', 'utf8')) {
      hash = ((hash ^ BigInt(byte)) * 0x1000000000000000000013bn) % 2n ** 128n;
    }
    const hex = hash.toString(16).padStart(32, '0');
    const variant = (8 | (parseInt(hex[16]!, 16) & 3)).toString(16);
    const expected = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
    const id = eventIdFor('purchase_completed', 'A-1001');
    expect(id).toBe(expected);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(eventIdFor('purchase_completed', 'A-1002')).not.toBe(id);
    expect(eventIdFor('lead_submitted', 'A-1001')).not.toBe(id);
  });

  it('keeps the event id stable across releases (it is shared with servers and ad platforms)', () => {
    expect(eventIdFor('purchase_completed', 'A-1001')).toBe(FROZEN_ID);
    expect(eventIdFor('purchase_completed', 'Bestellung-ä€😀')).toBe(FROZEN_UNICODE_ID);
  });

  it('gives events without a dedup key a random UUID v4', () => {
    const { tracker } = setup();
    const a = tracker.track('cta_clicked', { cta_id: 'hero' }).eventId;
    const b = tracker.track('cta_clicked', { cta_id: 'hero' }).eventId;
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sends the schema output, with defaults applied', () => {
    const withDefaults = defineContract({
      sign_up: { schema: z.object({ method: z.string().default('email') }), conversion: true },
    });
    const destination = recording();
    const tracker = createTracker({ contract: withDefaults, storage: memoryStorage(), campaign: false, destinations: [destination] });
    tracker.track('sign_up', {});
    expect(destination.received[0]!.payload).toEqual({ method: 'email' });
  });
});

describe('invalid payloads', () => {
  it('reach no destination, return the issues and tell onError which fields failed', () => {
    const { tracker, destination, onError } = setup();
    const result = tracker.track('purchase_completed', { value: 'x' } as never);
    expect(result.status).toBe('invalid');
    expect(result.issues?.map((issue) => issue.path)).toEqual([['order_id'], ['value'], ['currency']]);
    expect(destination.received).toHaveLength(0);
    const error = onError.mock.calls[0]![0] as TrackingError;
    expect(error).toBeInstanceOf(TrackingError);
    expect(error.reason).toBe('invalid_payload');
    expect(error.event).toBe('purchase_completed');
    expect(error.message).toMatch(/purchase_completed was not sent: purchase_completed\.order_id: .*expected string.*; purchase_completed\.value: .*expected number, received string.*; purchase_completed\.currency/);
  });

  it('names nested fields with their path', () => {
    const nested = defineContract({
      cart_viewed: { schema: z.object({ items: z.array(z.object({ price: z.number() })) }) },
    });
    const onError = vi.fn();
    const tracker = createTracker({ contract: nested, storage: memoryStorage(), campaign: false, onError });
    tracker.track('cart_viewed', { items: [{ price: 1 }, { price: '2' as never }] });
    expect(onError.mock.calls[0]![0].message).toMatch(/cart_viewed\.items\[1\]\.price: /);
  });

  it('rejects an event the contract does not have, listing the known ones', () => {
    const { tracker, onError } = setup();
    expect(tracker.track('purchase' as never, {} as never).status).toBe('invalid');
    expect(onError.mock.calls[0]![0]).toMatchObject({ reason: 'unknown_event' });
    expect(onError.mock.calls[0]![0].message).toMatch(/"purchase" is not an event of the contract \(events: purchase_completed, lead_submitted/);
  });

  it('never throws for garbage input', () => {
    const { tracker } = setup();
    for (const payload of [null, undefined, 42, 'text', [], () => {}]) {
      expect(tracker.track('purchase_completed', payload as never).status).toBe('invalid');
    }
    expect(tracker.track(undefined as never, undefined as never).status).toBe('invalid');
  });

  it('rejects an empty dedup key and an event id that is not a UUID', () => {
    const { tracker, destination, onError } = setup();
    expect(tracker.track('lead_submitted', { form_id: 'demo' }, { dedupeKey: ' ' }).status).toBe('invalid');
    expect(onError.mock.calls[0]![0].message).toMatch(/lead_submitted\.dedupeKey: expected a non-empty string or number \(dedup key\)/);
    expect(tracker.track('lead_submitted', { form_id: 'demo' }, { eventId: 'order-1' }).status).toBe('invalid');
    expect(onError.mock.calls[1]![0].message).toMatch(/lead_submitted\.eventId: expected a UUID, received "order-1"/);
    // What a JavaScript caller may pass: none is a UUID, none goes out.
    for (const eventId of [false, null, 0, '', Number.NaN]) {
      expect(tracker.track('lead_submitted', { form_id: 'demo' }, { eventId: eventId as never }).status).toBe('invalid');
      expect(onError.mock.lastCall![0].message).toContain(`lead_submitted.eventId: expected a UUID, received "${eventId}"`);
    }
    expect(destination.received).toHaveLength(0);
  });

  it('accepts an explicit event id only when it equals the one derived from the dedup key', () => {
    const { tracker, destination, onError } = setup();
    const derived = eventIdFor('purchase_completed', 'A-1001');
    expect(tracker.track('purchase_completed', order, { eventId: '2d7b1a5e-3c4f-4b8a-9d6e-1f2a3b4c5d6e' }).status).toBe('invalid');
    expect(onError.mock.calls[0]![0].message).toContain(`purchase_completed.eventId: expected ${derived}`);
    expect(tracker.track('purchase_completed', order, { eventId: derived.toUpperCase() })).toEqual({ status: 'sent', eventId: derived });
    expect(destination.received).toHaveLength(1);
  });

  it('warns in development when a schema output would fail the collector', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const transformed = defineContract({ lead_submitted: { schema: z.object({ seats: z.string().transform(Number) }) } });
    const tracker = createTracker({ contract: transformed, storage: memoryStorage(), campaign: false });
    expect(tracker.track('lead_submitted', { seats: '3' }).status).toBe('sent');
    tracker.track('lead_submitted', { seats: '4' });
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0]![0]).toMatch(/\[conversion-kit\] lead_submitted: the schema's output does not pass the schema again/);
    warn.mockRestore();
  });

  it('says an invalid event once in development when no onError or debug listens, with one prefix', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const tracker = createTracker({ contract, storage: memoryStorage(), campaign: false });
    expect(tracker.track('purchase_completed', { order_id: 'A-1', value: -1, currency: 'EUR' }).status).toBe('invalid');
    tracker.track('purchase_completed', { order_id: 'A-2', value: -1, currency: 'EUR' });
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0]![0]).toMatch(/^\[conversion-kit\] purchase_completed was not sent: purchase_completed\.value/);
    warn.mockRestore();
  });

  it('rejects async schemas instead of sending unvalidated data', () => {
    const asyncContract = defineContract({
      lead_submitted: { schema: z.object({ form_id: z.string() }).refine(async () => true) },
    });
    const onError = vi.fn();
    const tracker = createTracker({ contract: asyncContract, storage: memoryStorage(), campaign: false, onError });
    expect(tracker.track('lead_submitted', { form_id: 'x' }).status).toBe('invalid');
    expect(onError.mock.calls[0]![0].message).toMatch(/async schemas are not supported/);
  });
});

describe('deduplication', () => {
  it('sends a dedup key once within the window and reports the second call as duplicate', () => {
    const { tracker, destination, records } = setup();
    expect(tracker.track('purchase_completed', order).status).toBe('sent');
    const second = tracker.track('purchase_completed', { ...order, value: 1 });
    expect(second).toEqual({ status: 'duplicate', eventId: eventIdFor('purchase_completed', 'A-1001') });
    expect(destination.received).toHaveLength(1);
    expect(records.map((record) => record.type)).toEqual(['sent', 'delivered', 'duplicate']);
  });

  it('sends the same key again once the window has passed', () => {
    vi.useFakeTimers({ now: new Date('2026-11-01T00:00:00Z') });
    const { tracker, destination } = setup({ dedupeWindowMs: 60_000 });
    tracker.track('purchase_completed', order);
    vi.advanceTimersByTime(59_000);
    expect(tracker.track('purchase_completed', order).status).toBe('duplicate');
    vi.advanceTimersByTime(2_000);
    expect(tracker.track('purchase_completed', order).status).toBe('sent');
    expect(destination.received).toHaveLength(2);
  });

  it('defaults to a 48 hour window', () => {
    vi.useFakeTimers({ now: new Date('2026-11-01T00:00:00Z') });
    const { tracker } = setup();
    tracker.track('purchase_completed', order);
    vi.advanceTimersByTime(47 * 3600_000);
    expect(tracker.track('purchase_completed', order).status).toBe('duplicate');
    vi.advanceTimersByTime(2 * 3600_000);
    expect(tracker.track('purchase_completed', order).status).toBe('sent');
  });

  it('remembers sent keys across a reload and in a second tab sharing storage', () => {
    const storage = memoryStorage();
    const first = setup({ storage });
    first.tracker.track('purchase_completed', order);
    const reloaded = setup({ storage });
    const otherTab = setup({ storage });
    expect(reloaded.tracker.track('purchase_completed', order).status).toBe('duplicate');
    expect(otherTab.tracker.track('purchase_completed', order).status).toBe('duplicate');
    expect(reloaded.destination.received).toHaveLength(0);
  });

  it('uses an explicit dedupeKey over the contract field, and dedups explicit event ids', () => {
    const { tracker, destination } = setup();
    tracker.track('lead_submitted', { form_id: 'demo' }, { dedupeKey: 'lead-7' });
    expect(tracker.track('lead_submitted', { form_id: 'other' }, { dedupeKey: 'lead-7' }).status).toBe('duplicate');
    const eventId = '2d7b1a5e-3c4f-4b8a-9d6e-1f2a3b4c5d6e';
    expect(tracker.track('lead_submitted', { form_id: 'demo' }, { eventId })).toEqual({ status: 'sent', eventId });
    expect(tracker.track('lead_submitted', { form_id: 'demo' }, { eventId }).status).toBe('duplicate');
    expect(destination.received.map((e) => e.eventId)).toEqual([eventIdFor('lead_submitted', 'lead-7'), eventId]);
  });

  it('does not dedup events without a key', () => {
    const { tracker, destination } = setup();
    tracker.track('cta_clicked', { cta_id: 'hero' });
    tracker.track('cta_clicked', { cta_id: 'hero' });
    expect(destination.received).toHaveLength(2);
  });

  it('ignores a corrupted ledger instead of failing', () => {
    const storage = memoryStorage();
    storage.setItem('conversion-kit:dedupe', '{not json');
    const { tracker } = setup({ storage });
    expect(tracker.track('purchase_completed', order).status).toBe('sent');
    expect(tracker.track('purchase_completed', order).status).toBe('duplicate');
  });
});

describe('failure isolation', () => {
  it('keeps delivering to the other destinations when one throws, and tells onError', () => {
    const after = recording('after');
    const broken: Destination = { name: 'broken', send: () => { throw new Error('fbq is not a function'); } };
    const { tracker, onError, records } = setup({ destinations: [broken, after] });
    expect(tracker.track('purchase_completed', order).status).toBe('sent');
    expect(after.received).toHaveLength(1);
    expect(onError).toHaveBeenCalledOnce();
    expect(onError.mock.calls[0]![0]).toMatchObject({
      reason: 'destination_failed',
      destination: 'broken',
      message: '[conversion-kit] purchase_completed could not be sent to broken: fbq is not a function',
    });
    expect(records.filter((r) => r.type === 'failed' || r.type === 'delivered').map((r) => r.type)).toEqual(['failed', 'delivered']);
  });

  it('records an async destination failure without an unhandled rejection', async () => {
    const rejecting: Destination = { name: 'collector', send: () => Promise.reject(new Error('503')) };
    const { tracker, onError, records } = setup({ destinations: [rejecting] });
    tracker.track('purchase_completed', order);
    await vi.waitFor(() => expect(onError).toHaveBeenCalledOnce());
    expect(records.at(-1)).toMatchObject({ type: 'failed', destination: 'collector' });
  });

  it('survives an onError callback and a subscriber that throw', () => {
    const destination = recording();
    const tracker = createTracker({
      contract,
      storage: memoryStorage(),
      campaign: false,
      destinations: [{ name: 'broken', send: () => { throw new Error('x'); } }, destination],
      onError: () => { throw new Error('error reporting is down'); },
    });
    tracker.subscribe(() => { throw new Error('debugger crashed'); });
    expect(tracker.track('purchase_completed', order).status).toBe('sent');
    expect(tracker.track('purchase_completed', { value: 'x' } as never).status).toBe('invalid');
    expect(destination.received).toHaveLength(1);
  });

  it('works, deduplicating within the page, when every storage call throws', () => {
    const throwing: KeyValueStorage = {
      getItem: () => { throw new DOMException('blocked', 'SecurityError'); },
      setItem: () => { throw new DOMException('full', 'QuotaExceededError'); },
      removeItem: () => { throw new DOMException('blocked', 'SecurityError'); },
    };
    const { tracker, destination } = setup({ storage: throwing, campaign: { url: 'https://shop.example/?utm_source=google' } });
    expect(tracker.track('purchase_completed', order).status).toBe('sent');
    expect(tracker.track('purchase_completed', order).status).toBe('duplicate');
    expect(destination.received[0]!.campaign.last?.utm_source).toBe('google');
  });
});

describe('records', () => {
  it('keeps the latest records for late subscribers, as an immutable snapshot', () => {
    const { tracker } = setup();
    tracker.track('cta_clicked', { cta_id: 'a' });
    const snapshot = tracker.getRecords();
    expect(snapshot.map((r) => r.type)).toEqual(['sent', 'delivered']);
    expect(tracker.getRecords()).toBe(snapshot);
    tracker.track('cta_clicked', { cta_id: 'b' });
    expect(tracker.getRecords()).not.toBe(snapshot);
    for (let i = 0; i < 150; i++) tracker.track('cta_clicked', { cta_id: `c${i}` });
    expect(tracker.getRecords()).toHaveLength(200);
    expect(tracker.getRecords().at(-1)!.seq).toBe(304);
  });

  it('gives every record a valid event id', () => {
    const { tracker, records } = setup();
    tracker.track('purchase_completed', order);
    tracker.track('purchase_completed', order);
    tracker.track('purchase_completed', {} as never);
    expect(records.every((record) => isUuid(record.eventId))).toBe(true);
  });
});

describe('handoff', () => {
  it('sends a handed-off conversion once on the next page', () => {
    const storage = memoryStorage();
    const checkoutPage = setup({ storage });
    expect(checkoutPage.tracker.handoff('purchase_completed', order)).toEqual({ status: 'stored', persisted: true });
    expect(checkoutPage.destination.received).toHaveLength(0);
    const thankYou = setup({ storage });
    expect(thankYou.tracker.completeHandoff('purchase_completed')?.status).toBe('sent');
    expect(thankYou.destination.received[0]!.payload).toEqual(order);
    const refreshed = setup({ storage });
    expect(refreshed.tracker.completeHandoff('purchase_completed')).toBeNull();
  });

  it('rejects an invalid handoff at once, naming the field', () => {
    const { tracker, onError } = setup();
    expect(tracker.handoff('purchase_completed', { ...order, currency: 'euro' }).status).toBe('invalid');
    expect(onError.mock.calls[0]![0].message).toMatch(/purchase_completed\.currency: expected an ISO 4217 code/);
    expect(tracker.completeHandoff('purchase_completed')).toBeNull();
  });

  it('stores only what the contract names, never fields it does not', () => {
    const storage = memoryStorage();
    const { tracker } = setup({ storage });
    tracker.handoff('purchase_completed', { ...order, customer: { email: 'ada@example.com' } } as never);
    expect(storage.getItem('conversion-kit:handoff')).not.toContain('ada@example.com');
    const thankYou = setup({ storage });
    thankYou.tracker.completeHandoff('purchase_completed');
    expect(thankYou.destination.received[0]!.payload).toEqual(order);
  });

  it('refuses a payload that cannot be stored, without throwing into the checkout', () => {
    const withBigInt = defineContract({ purchase_completed: { schema: z.object({ order_id: z.string(), cents: z.bigint() }), dedupeBy: 'order_id', conversion: true } });
    const onError = vi.fn();
    const tracker = createTracker({ contract: withBigInt, storage: memoryStorage(), campaign: false, onError });
    expect(tracker.handoff('purchase_completed', { order_id: 'A-1', cents: 12900n }).status).toBe('invalid');
    expect(onError.mock.calls[0]![0].message).toMatch(/purchase_completed was not sent: purchase_completed: TypeError: .*BigInt/);
  });

  it('keeps the handoffs of two orders (two tabs) and sends both on the thank-you page', () => {
    const storage = memoryStorage();
    setup({ storage }).tracker.handoff('purchase_completed', order);
    setup({ storage }).tracker.handoff('purchase_completed', { ...order, order_id: 'A-1002' });
    const thankYou = setup({ storage });
    thankYou.tracker.completeHandoff('purchase_completed');
    expect(thankYou.destination.received.map((e) => e.dedupeKey)).toEqual(['A-1001', 'A-1002']);
    expect(setup({ storage }).tracker.completeHandoff('purchase_completed')).toBeNull();
  });

  it('dedups a handed-off event without a dedup key by the id chosen at handoff', () => {
    const storage = memoryStorage();
    setup({ storage }).tracker.handoff('newsletter_signup', { form_id: 'footer' });
    const thankYou = setup({ storage });
    const sent = thankYou.tracker.completeHandoff('newsletter_signup')!;
    expect(thankYou.tracker.track('newsletter_signup', { form_id: 'footer' }, { eventId: sent.eventId }).status).toBe('duplicate');
  });

  it('says when a handoff did not fit in storage and lives only in this page', () => {
    const items = new Map<string, string>();
    const full: KeyValueStorage = {
      getItem: (key) => items.get(key) ?? null,
      setItem(key, value) {
        if (value.length > 300) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        items.set(key, value);
      },
      removeItem: (key) => void items.delete(key),
    };
    const checkout = setup({ storage: full });
    expect(checkout.tracker.handoff('purchase_completed', order)).toEqual({ status: 'stored', persisted: true });
    const big = { ...order, order_id: 'A-2002', coupon: 'x'.repeat(400) };
    expect(checkout.tracker.handoff('purchase_completed', big)).toEqual({ status: 'stored', persisted: false });
    // The next page (a full load) gets only what was persisted; this page can still complete it.
    expect(setup({ storage: full }).tracker.completeHandoff('purchase_completed')?.status).toBe('sent');
    checkout.tracker.completeHandoff('purchase_completed');
    expect(checkout.destination.received.map((e) => e.dedupeKey)).toEqual(['A-2002']);
  });

  it('forgets a handoff that was never completed within its TTL', () => {
    vi.useFakeTimers({ now: new Date('2026-11-01T00:00:00Z') });
    const { tracker } = setup({ handoffTtlMs: 60_000 });
    tracker.handoff('purchase_completed', order);
    vi.advanceTimersByTime(61_000);
    expect(tracker.completeHandoff('purchase_completed')).toBeNull();
  });
});

describe('namespace: two trackers on one page', () => {
  const giftCards = defineContract({
    purchase_completed: {
      schema: z.object({ order_id: z.string(), value: z.number(), currency: z.string(), card_design: z.string() }),
      dedupeBy: 'order_id',
      conversion: true,
    },
  });

  // Runs once the ledger takes its storage key (the ledger rewrite): until then every ledger shares one key.
  const probe = memoryStorage();
  createTracker({ contract, storage: probe, campaign: false, namespace: 'probe' }).track('purchase_completed', order);
  const ledgerTakesItsKey = probe.getItem('conversion-kit:probe:dedupe') !== null;

  it.runIf(ledgerTakesItsKey)('counts the same order number once in each tracker, not once on the page', () => {
    const storage = memoryStorage();
    const shop = setup({ storage, namespace: 'shop' });
    const gifts = setup({ storage, namespace: 'gifts' });
    expect(shop.tracker.track('purchase_completed', order).status).toBe('sent');
    expect(gifts.tracker.track('purchase_completed', order).status).toBe('sent');
    expect(shop.tracker.track('purchase_completed', order).status).toBe('duplicate');
    expect(storage.getItem('conversion-kit:shop:dedupe')).toContain('A-1001');
    expect(storage.getItem('conversion-kit:gifts:dedupe')).toContain('A-1001');
  });

  it("never takes another tracker's handoff, so that tracker's thank-you page still sends it", () => {
    const storage = memoryStorage();
    setup({ storage, namespace: 'shop' }).tracker.handoff('purchase_completed', order);
    const giftsPage = createTracker({ contract: giftCards, storage, campaign: false, namespace: 'gifts' });
    expect(giftsPage.completeHandoff('purchase_completed')).toBeNull();
    const shopThankYou = setup({ storage, namespace: 'shop' });
    expect(shopThankYou.tracker.completeHandoff('purchase_completed')?.status).toBe('sent');
    expect(shopThankYou.destination.received[0]!.payload).toEqual(order);
  });

  it("leaves a namespaced tracker's handoff to it even for a tracker without a namespace", () => {
    const storage = memoryStorage();
    setup({ storage, namespace: 'shop' }).tracker.handoff('purchase_completed', order);
    expect(setup({ storage }).tracker.completeHandoff('purchase_completed')).toBeNull();
    expect(setup({ storage, namespace: 'shop' }).tracker.completeHandoff('purchase_completed')?.status).toBe('sent');
  });

  it('keeps the keys of today without a namespace, so stored ledgers and handoffs still count', () => {
    const storage = memoryStorage();
    const before = setup({ storage });
    before.tracker.track('purchase_completed', order);
    before.tracker.handoff('purchase_completed', { ...order, order_id: 'A-1002' });
    expect(Object.keys(JSON.parse(storage.getItem('conversion-kit:handoff')!))).toHaveLength(1);
    expect(storage.getItem('conversion-kit:dedupe')).toContain('A-1001');
    // A handoff written by an earlier version (no owner field) is still this tracker's.
    storage.setItem('conversion-kit:handoff', JSON.stringify({ old: { event: 'newsletter_signup', payload: { form_id: 'f' }, options: {}, expiresAt: Date.now() + 60_000 } }));
    expect(setup({ storage }).tracker.completeHandoff('newsletter_signup')?.status).toBe('sent');
  });

  it('shares the campaign on purpose: one visitor, one campaign', () => {
    const storage = memoryStorage();
    createTracker({ contract, storage, namespace: 'shop', campaign: { url: 'https://shop.example/?utm_source=newsletter' } });
    const gifts = createTracker({ contract, storage, namespace: 'gifts' , campaign: false });
    expect(gifts.getCampaign().last?.utm_source).toBe('newsletter');
  });
});

describe('dedup keys with surrounding whitespace', () => {
  it("counts 'A-1001 ' and 'A-1001' as one order, with the trimmed key and its derived id", () => {
    const { tracker, destination } = setup();
    expect(tracker.track('purchase_completed', order).status).toBe('sent');
    const padded = tracker.track('purchase_completed', { ...order, order_id: ' A-1001\n' });
    expect(padded).toEqual({ status: 'duplicate', eventId: FROZEN_ID });
    expect(destination.received).toHaveLength(1);
  });

  it('trims an explicit dedupeKey option the same way', () => {
    const { tracker, destination } = setup();
    tracker.track('lead_submitted', { form_id: 'demo' }, { dedupeKey: ' L-1 ' });
    expect(tracker.track('lead_submitted', { form_id: 'demo' }, { dedupeKey: 'L-1' }).status).toBe('duplicate');
    expect(destination.received[0]!.dedupeKey).toBe('L-1');
    expect(destination.received[0]!.eventId).toBe(eventIdFor('lead_submitted', 'L-1'));
  });
});

describe('two tabs settling one claim (Web Locks)', () => {
  // Node has no Web Locks: this stands in for navigator.locks with the one call the ledger makes, a
  // lock that is free (granted) or held by another tab (null). The real race runs in chromium in
  // test/e2e/ledger-tabs.test.ts.
  const withLocks = (free: boolean) => {
    const request = vi.fn((_name: string, _options: object, callback: (lock: object | null) => unknown) => Promise.resolve(callback(free ? {} : null)));
    vi.stubGlobal('navigator', { locks: { request } });
    return request;
  };
  afterEach(() => vi.unstubAllGlobals());

  const collector = (): Destination & { received: Envelope[] } => ({ ...recording('collector'), receiverDedupes: true });

  it('hands a conversion to a destination whose receiver dedups at once, and to in-page tags once the claim is settled', async () => {
    withLocks(true);
    const pixel = recording('pixel');
    const first = collector();
    const { tracker, records } = setup({ destinations: [pixel, first] });
    expect(tracker.track('purchase_completed', order).status).toBe('sent');
    expect(first.received).toHaveLength(1);
    expect(pixel.received).toHaveLength(0);
    await Promise.resolve();
    await Promise.resolve();
    expect(pixel.received).toHaveLength(1);
    expect(records.filter((record) => record.type === 'delivered').map((record) => record.type === 'delivered' && record.destination)).toEqual(['collector', 'pixel']);
  });

  it('keeps in-page tags from firing in the tab that lost, and says why', async () => {
    withLocks(false);
    const pixel = recording('pixel');
    const first = collector();
    const { tracker, records } = setup({ destinations: [pixel, first] });
    tracker.track('purchase_completed', order);
    await vi.waitFor(() => expect(records.some((record) => record.type === 'dropped')).toBe(true));
    expect(pixel.received).toHaveLength(0);
    expect(first.received).toHaveLength(1);
    expect(records.find((record) => record.type === 'dropped')).toMatchObject({ destination: 'pixel', reason: 'claimed_in_another_tab' });
  });

  it('asks for no lock when every destination taking the event dedups at its receiver (a Web Lock request costs a browser a few hundred µs)', async () => {
    const request = withLocks(true);
    const pixel: Destination & { received: Envelope[] } = { ...recording('pixel'), accepts: (envelope) => envelope.event !== 'purchase_completed' };
    const first = collector();
    const { tracker } = setup({ destinations: [pixel, first] });
    tracker.track('purchase_completed', order);
    expect(first.received).toHaveLength(1);
    expect(request).not.toHaveBeenCalled();
    // An event the in-page tag takes too is settled first.
    tracker.track('lead_submitted', { form_id: 'demo' }, { dedupeKey: 'L-1' });
    expect(request).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(pixel.received).toHaveLength(1));
  });

  it('holds a settled conversion for consent like any other, and never waits for events without a dedup key', async () => {
    const request = withLocks(true);
    const pixel = recording('pixel');
    const { tracker } = setup({ destinations: [pixel], consent: { analytics: 'pending' } });
    tracker.track('purchase_completed', order);
    tracker.track('cta_clicked', { cta_id: 'hero' });
    expect(request).toHaveBeenCalledTimes(1);
    await Promise.resolve();
    await Promise.resolve();
    expect(pixel.received).toHaveLength(0);
    tracker.setConsent({ analytics: 'granted' });
    expect(pixel.received.map((envelope) => envelope.event)).toEqual(['purchase_completed', 'cta_clicked']);
  });
});
