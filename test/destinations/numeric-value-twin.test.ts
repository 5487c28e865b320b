import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTracker, defineContract, memoryStorage } from 'conversion-kit/core';
import { gtag } from 'conversion-kit/destinations';
import { ga4MeasurementProtocol } from 'conversion-kit/server';
import { installGtagSnippet, resetPlatforms } from '../fixtures/platform-snippets';
import { purchaseEnvelope } from '../server/envelopes';
import { startPlatform } from '../server/platform';

afterEach(resetPlatforms);

// Issue 10: "Map numeric strings to the same number for every destination". The browser's gtag and
// the server's GA4 Measurement Protocol get the same `value` string; each must send the same number,
// or (for a string that is not a plain decimal) neither may send a number.
const STRINGS = ['129.50', ' 12 ', '12 ', '\t7.5\n', '-3', '+3', '1e3', '', ' ', '12,50', '0x10', '.5', '5.', 'Infinity', '007'];

const contract = defineContract({
  purchase_completed: {
    schema: z.object({ order_id: z.string(), value: z.string(), currency: z.string() }),
    dedupeBy: 'order_id',
    conversion: true,
  },
});

/** The `value` gtag.js gets in the browser, when it is a number; undefined otherwise. */
function browserNumber(value: string): number | undefined {
  resetPlatforms();
  const google = installGtagSnippet();
  const tracker = createTracker({ contract, storage: memoryStorage(), campaign: false, destinations: [gtag({ events: { purchase_completed: 'purchase' } })] });
  tracker.track('purchase_completed', { order_id: `A-${Math.random()}`, value, currency: 'EUR' });
  const sent = (google.commands()[0]![2] as { value?: unknown }).value;
  return typeof sent === 'number' ? sent : undefined;
}

/** The `value` the Measurement Protocol request carries, when it is a number; undefined otherwise. */
async function serverNumber(value: string): Promise<number | undefined> {
  const ga4 = await startPlatform();
  try {
    const destination = ga4MeasurementProtocol({ measurementId: 'G-TEST123', apiSecret: 's', endpoint: `${ga4.url}/mp/collect`, events: { purchase_completed: 'purchase' } });
    await destination.send(purchaseEnvelope({ payload: { order_id: 'A-1001', value, currency: 'EUR' } }), {});
    const sent = ga4.requests[0]!.body.events[0].params.value;
    return typeof sent === 'number' ? sent : undefined;
  } finally {
    await ga4.close();
  }
}

describe('the same value string in the browser and on the server', () => {
  it.each(STRINGS)('%j maps to the same number on both sides', async (value) => {
    expect(browserNumber(value)).toBe(await serverNumber(value));
  });

  it('maps a decimal written with spaces around it on both sides', async () => {
    expect(browserNumber(' 12 ')).toBe(12);
    expect(await serverNumber(' 12 ')).toBe(12);
  });

  it('maps no exponent, sign-plus, empty or comma string to a number on either side', async () => {
    for (const value of ['1e3', '+3', '', '12,50']) {
      expect(browserNumber(value)).toBeUndefined();
      expect(await serverNumber(value)).toBeUndefined();
    }
  });
});
