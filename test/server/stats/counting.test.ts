import { describe, expect, it, vi } from 'vitest';
import { eventIdFor, randomEventId } from 'conversion-kit/core';
import {
  createCollector,
  createServerTracker,
  memoryDedupeStore,
  memoryStatsStore,
  type CollectorOptions,
  type ServerDestination,
  type StatsRow,
  type StatsStore,
} from 'conversion-kit/server';
import { contract } from '../../fixtures/contract';
import { batchOf, ORDER, purchaseEnvelope } from '../envelopes';

const waitFor = (check: () => unknown) => vi.waitFor(check, { timeout: 3000, interval: 10 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GA4 and Meta stand-ins: `form_started` fails at both (GA4 may be retried, Meta not), `cta_clicked` is slow. */
function destinations(failOnce = new Set<string>()): ServerDestination[] {
  const send = (name: string, retryable: boolean) => async (envelope: { event: string; payload: Record<string, unknown> }) => {
    if (envelope.event === 'form_started') throw Object.assign(new Error(`${name} answered ${retryable ? 503 : 400}`), { retryable });
    // Meta is down for the first report of these orders.
    if (name === 'meta' && failOnce.delete(String(envelope.payload.order_id))) throw Object.assign(new Error('meta answered 503'), { retryable: true });
    if (envelope.event === 'cta_clicked') await sleep(150);
  };
  return [
    { name: 'ga4', consent: 'analytics', send: send('ga4', true) },
    { name: 'meta', consent: 'ads', send: send('meta', false) },
  ];
}

type Options = Partial<CollectorOptions<typeof contract>>;

function collectorWith(options: Options = {}) {
  const stats = memoryStatsStore();
  const onError = vi.fn();
  const collector = createCollector({
    contract,
    store: memoryDedupeStore(),
    destinations: destinations(),
    onError,
    stats,
    // The visitor denied everything for newsletter sign-ups only.
    consent: (_request, envelope) => (envelope.event === 'newsletter_signup' ? { analytics: 'denied', ads: 'denied' } : undefined),
    ...options,
  });
  const post = async (body: string) => {
    const response = await collector(new Request('https://shop.example/api/collect', { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
    return { status: response.status, body: await response.json() };
  };
  return { collector, stats, onError, post };
}

const rowsOf = async (stats: StatsStore) => stats.read({ from: 0, to: Date.now() + 3_600_000 });
const find = (rows: readonly StatsRow[], event: string, release: string, source: 'client' | 'server' = 'client') =>
  rows.find((row) => row.event === event && row.release === release && row.source === source);
const countsOf = async (stats: StatsStore, event: string, release: string, source: 'client' | 'server' = 'client') =>
  find(await rowsOf(stats), event, release, source)?.counts;

const envelope = (event: string, payload: object, extra: object = {}) =>
  purchaseEnvelope({ event, eventId: randomEventId(), dedupeKey: null, payload: payload as never, campaign: { first: null, last: null }, identity: undefined, release: 'v7', ...extra });

describe('counting in the collector', () => {
  it('counts a mixed batch per event, in the bucket of its answer, with each destination outcome', async () => {
    const { stats, post } = collectorWith();
    const purchase = purchaseEnvelope({ release: 'v7' });
    const answer = await post(
      batchOf(
        purchase,
        purchase, // the page sent it twice
        envelope('lead_submitted', { form_id: '' }),
        envelope('no_such_event', {}),
        purchaseEnvelope({ eventId: eventIdFor('purchase_completed', 'A-2'), dedupeKey: 'A-2', payload: { ...ORDER, order_id: 'A-2' }, release: 'not a release!' }),
        envelope('newsletter_signup', { form_id: 'footer' }),
        envelope('form_started', { form_id: 'demo' }),
        envelope('cta_clicked', { cta_id: 'hero' }),
      ),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ accepted: 2, duplicates: 1, skipped: 1 });
    expect(answer.body.rejected).toHaveLength(3);
    expect(answer.body.failed).toHaveLength(1);

    // Deliveries are counted once they end, here after the answer (cta_clicked is slow).
    await waitFor(async () => expect((await countsOf(stats, 'cta_clicked', 'v7'))?.['dest:ga4:delivered']).toBe(1));
    const rows = await rowsOf(stats);
    const keys = { 'key:fbc': 1, 'key:fbp': 1, 'key:ga_client_id': 1 };
    const perDestination = (name: string, counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).map(([k, v]) => [`dest:${name}:${k}`, v]));
    expect(find(rows, 'purchase_completed', 'v7')?.counts).toEqual({
      received: 2,
      accepted: 1,
      duplicate: 1,
      ...perDestination('ga4', { delivered: 1, ...keys }),
      ...perDestination('meta', { delivered: 1, ...keys }),
    });
    expect(find(rows, 'lead_submitted', 'v7')?.counts).toEqual({
      received: 1,
      rejected: 1,
      'rejected:invalid_payload': 1,
      'issue:lead_submitted.form_id: Too small: expected string to have >=1 characters': 1,
    });
    // An event not in the contract is counted without its name: a page cannot create rows at will.
    expect(find(rows, '', 'v7')?.counts).toMatchObject({ received: 1, rejected: 1, 'rejected:unknown_event': 1 });
    // A bad release rejects the envelope, and is counted without it.
    const badRelease = find(rows, 'purchase_completed', '')?.counts;
    expect(badRelease).toMatchObject({ received: 1, rejected: 1, 'rejected:invalid_envelope': 1 });
    expect(Object.keys(badRelease ?? {}).find((name) => name.startsWith('issue:'))).toMatch(/^issue:purchase_completed\.release: expected a build id/);
    expect(find(rows, 'newsletter_signup', 'v7')?.counts).toEqual({ received: 1, skipped: 1, 'dest:ga4:skipped': 1, 'dest:meta:skipped': 1 });
    const failed = find(rows, 'form_started', 'v7');
    expect(failed?.counts).toEqual({ received: 1, failed: 1, 'dest:ga4:failed_retryable': 1, 'dest:meta:failed': 1 });
    expect(failed?.notes).toMatchObject({ 'last_error:ga4': 'ga4 answered 503', 'last_error:meta': 'meta answered 400' });
    expect(Number(failed?.notes.last_seen)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('counts an event answered pending (past requestTimeoutMs) as pending, and its deliveries when they end', async () => {
    const { stats, post } = collectorWith({ requestTimeoutMs: 30 });
    const answer = await post(batchOf(envelope('cta_clicked', { cta_id: 'hero' })));
    expect(answer.body.pending).toHaveLength(1);
    await waitFor(async () =>
      expect(await countsOf(stats, 'cta_clicked', 'v7')).toEqual({ received: 1, pending: 1, 'dest:ga4:delivered': 1, 'dest:meta:delivered': 1 }),
    );
  });

  it('counts a batch refused as a whole (every envelope invalid) too', async () => {
    const { stats, post } = collectorWith();
    const answer = await post(batchOf(envelope('lead_submitted', { form_id: 1 })));
    expect(answer.status).toBe(400);
    await waitFor(async () => expect(await countsOf(stats, 'lead_submitted', 'v7')).toMatchObject({ received: 1, rejected: 1, 'rejected:invalid_payload': 1 }));
  });

  it('counts a request refused before any envelope is read (not JSON, not the batch format) once, under no event', async () => {
    const { stats, collector } = collectorWith();
    const send = (body: string, type = 'application/json') =>
      collector(new Request('https://shop.example/api/collect', { method: 'POST', headers: { 'content-type': type }, body }));
    expect((await send('{"v":1,"events":[')).status).toBe(400);
    expect((await send('{}', 'application/xml')).status).toBe(415);
    await waitFor(async () => {
      const counts = await countsOf(stats, '', '');
      expect(counts?.received).toBe(2);
      expect(counts?.rejected).toBe(2);
      expect(Object.keys(counts ?? {}).filter((name) => name.startsWith('rejected:'))).toHaveLength(2);
    });
  });

  it('keeps each release apart', async () => {
    const { stats, post } = collectorWith();
    await post(batchOf(envelope('lead_submitted', { form_id: 'a' }, { release: '2026.12.01' }), envelope('lead_submitted', { form_id: 'b' }, { release: '2026.12.01' })));
    await post(batchOf(envelope('lead_submitted', { form_id: 'c' }, { release: '2026.12.04+9f3c2a1' })));
    await waitFor(async () => expect((await countsOf(stats, 'lead_submitted', '2026.12.04+9f3c2a1'))?.accepted).toBe(1));
    expect((await countsOf(stats, 'lead_submitted', '2026.12.01'))?.accepted).toBe(2);
  });

  it('counts nothing with stats: false', async () => {
    const stats = memoryStatsStore();
    const add = vi.spyOn(stats, 'add');
    const collector = createCollector({ contract, store: memoryDedupeStore(), consent: () => undefined, stats: false });
    await collector(new Request('https://shop.example/c', { method: 'POST', headers: { 'content-type': 'application/json' }, body: batchOf(purchaseEnvelope()) }));
    await sleep(20);
    expect(add).not.toHaveBeenCalled();
  });

  it('calls add once per request, with every row of it', async () => {
    const stats = memoryStatsStore();
    const add = vi.spyOn(stats, 'add');
    const { post } = collectorWith({ stats });
    await post(batchOf(purchaseEnvelope(), envelope('lead_submitted', { form_id: 'a' }), envelope('lead_submitted', { form_id: '' }), envelope('nope', {})));
    await waitFor(() => expect(add).toHaveBeenCalledTimes(1));
    await sleep(20);
    expect(add).toHaveBeenCalledTimes(1);
    expect(add.mock.calls[0]![0].map((u) => u.event).sort()).toEqual(['', 'lead_submitted', 'purchase_completed']);
  });
});

describe('a failing stats store', () => {
  const batch = batchOf(purchaseEnvelope({ eventId: eventIdFor('purchase_completed', 'F-1'), dedupeKey: 'F-1', payload: { ...ORDER, order_id: 'F-1' } }), envelope('lead_submitted', { form_id: '' }));
  const body = () => batch;
  const reference = async () => (await collectorWith({ stats: false }).post(body())).body;

  it.each([
    ['throws', { add: () => { throw new Error('disk full'); }, read: () => [] }],
    ['rejects', { add: async () => { throw new Error('connection lost'); }, read: () => [] }],
  ] satisfies [string, StatsStore][])('never changes the answer when add %s, and reports each failure once', async (_, stats) => {
    const { post, onError } = collectorWith({ stats });
    const answer = await post(body());
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(await reference());
    await waitFor(() => expect(onError).toHaveBeenCalledTimes(1));
    expect(onError.mock.calls[0]![0].message).toMatch(/^\[conversion-kit\] the stats store failed, counts of 2 rows were lost: (disk full|connection lost)$/);
    await post(body());
    await waitFor(() => expect(onError).toHaveBeenCalledTimes(2));
  });

  it('never waits for a store that does not answer, and reports it after 5 s', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      let fail: (error: Error) => void = () => {};
      const { post, onError } = collectorWith({ stats: { add: () => new Promise((_, reject) => (fail = reject)), read: () => [] } });
      const answer = await post(body());
      expect(answer.body).toEqual(await reference());
      await vi.advanceTimersByTimeAsync(4900);
      expect(onError).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(200);
      expect(onError).toHaveBeenCalledTimes(1);
      expect(onError.mock.calls[0]![0].message).toMatch(/stats store did not answer within 5000 ms/);
      // Failing later is the same failure: not reported again.
      fail(new Error('connection reset'));
      await vi.advanceTimersByTimeAsync(10);
      expect(onError).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('counting with the server tracker', () => {
  function hybrid() {
    const stats = memoryStatsStore();
    const store = memoryDedupeStore();
    const shared = { contract, store, stats, destinations: destinations(new Set(['B-3'])), consent: () => undefined };
    const { collector } = { collector: createCollector({ ...shared, onError: () => {} }) };
    const server = createServerTracker({ contract, store, stats, destinations: shared.destinations, release: 'api-3' });
    const post = (...events: unknown[]) =>
      collector(new Request('https://shop.example/c', { method: 'POST', headers: { 'content-type': 'application/json' }, body: batchOf(...events) })).then((r) => r.json());
    return { stats, server, post };
  }
  const order = (id: string) => ({ eventId: eventIdFor('purchase_completed', id), dedupeKey: id, payload: { ...ORDER, order_id: id }, release: 'web-9' });

  it('keeps the server source (and its release) apart from the browser', async () => {
    const { stats, server, post } = hybrid();
    await post(purchaseEnvelope(order('S-1')));
    await server.track('lead_submitted', { form_id: 'crm' });
    await server.track('lead_submitted', { form_id: '' });
    await waitFor(async () => expect((await countsOf(stats, 'lead_submitted', 'api-3', 'server'))?.rejected).toBe(1));
    expect(await countsOf(stats, 'lead_submitted', 'api-3', 'server')).toEqual({
      received: 2,
      accepted: 1,
      rejected: 1,
      'rejected:invalid_payload': 1,
      'issue:lead_submitted.form_id: Too small: expected string to have >=1 characters': 1,
      'dest:ga4:delivered': 1,
      'dest:meta:delivered': 1,
    });
    expect((await countsOf(stats, 'purchase_completed', 'web-9', 'client'))?.accepted).toBe(1);
    expect(await countsOf(stats, 'purchase_completed', 'api-3', 'server')).toBeUndefined();
  });

  it('counts the match keys each delivered event carried: hashed email and phone from userData, click ids from the campaign', async () => {
    const { stats, server, post } = hybrid();
    await server.track('purchase_completed', { ...ORDER, order_id: 'K-1' }, { userData: { email: 'ada@example.com', phone: ['', '+44 20 7183 8750'] }, clientId: '1.2', identity: { ga_session_id: '1746825440' } });
    await server.track('purchase_completed', { ...ORDER, order_id: 'K-2' }, { userData: { email: ' ' } });
    const gclick = { utm_source: 'google', gclid: 'Cj0KCQ', landing_page: '/', referrer: '', captured_at: Date.now() };
    await post(purchaseEnvelope({ ...order('K-3'), identity: undefined, campaign: { first: null, last: gclick } }));
    await waitFor(async () => expect((await countsOf(stats, 'purchase_completed', 'web-9'))?.['dest:ga4:key:gclid']).toBe(1));
    const serverCounts = await countsOf(stats, 'purchase_completed', 'api-3', 'server');
    for (const destination of ['ga4', 'meta']) {
      expect(serverCounts?.[`dest:${destination}:delivered`]).toBe(2);
      expect(serverCounts?.[`dest:${destination}:key:em`]).toBe(1);
      expect(serverCounts?.[`dest:${destination}:key:ph`]).toBe(1);
      expect(serverCounts?.[`dest:${destination}:key:ga_client_id`]).toBe(1);
      expect(serverCounts?.[`dest:${destination}:key:ga_session_id`]).toBe(1);
      expect(serverCounts?.[`dest:${destination}:key:fbc`]).toBeUndefined();
    }
    const clientKeys = Object.keys((await countsOf(stats, 'purchase_completed', 'web-9')) ?? {}).filter((name) => name.includes(':key:'));
    expect(clientKeys.sort()).toEqual(['dest:ga4:key:gclid', 'dest:meta:key:gclid']);
  });

  it('counts seen_both on the side that reports second, deduplicated when a destination had it; never on a retry after a failure', async () => {
    const { stats, server, post } = hybrid();
    // Browser first, then the payment webhook.
    await post(purchaseEnvelope(order('B-1')));
    expect((await server.track('purchase_completed', { ...ORDER, order_id: 'B-1' })).status).toBe('duplicate');
    // Webhook first, then the thank-you page.
    await server.track('purchase_completed', { ...ORDER, order_id: 'B-2' });
    await post(purchaseEnvelope(order('B-2')));
    // Only the browser: no coverage. Meta failed, so the browser reports it again: GA4 answers
    // duplicate, yet the browser had reported it before: not seen by both either.
    expect((await post(purchaseEnvelope(order('B-3')))).failed).toHaveLength(1);
    expect((await post(purchaseEnvelope(order('B-3')))).accepted).toBe(1);
    await waitFor(async () => expect((await countsOf(stats, 'purchase_completed', 'web-9'))?.['dest:meta:delivered']).toBe(2));
    await sleep(20);
    const client = await countsOf(stats, 'purchase_completed', 'web-9');
    const serverSide = await countsOf(stats, 'purchase_completed', 'api-3', 'server');
    expect({ client: client?.seen_both, deduplicated: client?.seen_both_deduplicated }).toEqual({ client: 1, deduplicated: 1 });
    expect({ server: serverSide?.seen_both, deduplicated: serverSide?.seen_both_deduplicated }).toEqual({ server: 1, deduplicated: 1 });
  });

  it('refuses a release that is not a build id at creation', () => {
    expect(() => createServerTracker({ contract, store: memoryDedupeStore(), release: 'v1 (hotfix)' })).toThrow(/release must be 1 to 64 characters/);
  });
});
