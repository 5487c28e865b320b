import { describe, expect, it } from 'vitest';
import { createServerTracker, memoryDedupeStore, type ServerDestination } from 'conversion-kit/server';
import { contract } from '../fixtures/contract';
import { ORDER } from './envelopes';
import { recording } from './recording';

const MINUTE = 60_000;

function clockedStore() {
  const clock = { now: 0 };
  return { clock, store: memoryDedupeStore({ now: () => clock.now }) };
}

describe('dedup claims: a lease while delivering, the whole window once delivered', () => {
  it('keeps a delivered event claimed for the dedup window, well past the lease', async () => {
    const { clock, store } = clockedStore();
    const ga4 = recording('ga4');
    const tracker = createServerTracker({ contract, store, destinations: [ga4], leaseMs: MINUTE, dedupeWindowMs: 60 * MINUTE });
    await tracker.track('purchase_completed', ORDER);
    clock.now = 59 * MINUTE;
    expect((await tracker.track('purchase_completed', ORDER)).status).toBe('duplicate');
    expect(ga4.received).toHaveLength(1);
  });

  it('lets another instance deliver an event whose first delivery never finished (a crashed process)', async () => {
    const { clock, store } = clockedStore();
    // The first instance dies mid-delivery: its send never settles, so it neither extends nor releases.
    const stuck: ServerDestination = { name: 'ga4', consent: 'none', send: () => new Promise(() => {}) };
    const crashed = createServerTracker({ contract, store, destinations: [stuck], leaseMs: MINUTE });
    void crashed.track('purchase_completed', ORDER);
    await new Promise((resolve) => setTimeout(resolve, 10));

    const ga4 = recording('ga4');
    const survivor = createServerTracker({ contract, store, destinations: [ga4], leaseMs: MINUTE });
    expect((await survivor.track('purchase_completed', ORDER)).status).toBe('pending'); // still leased, not delivered
    clock.now = MINUTE + 1;
    expect((await survivor.track('purchase_completed', ORDER)).status).toBe('sent');
    expect(ga4.received).toHaveLength(1);
  });
});
