import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventIdFor } from 'conversion-kit/core';
import { serverEventIdFor } from '../../src/server/delivery/event-id';

// The collector derives ids with a faster implementation than the browser's: they must never differ,
// or every deduped browser report would be rejected (its eventId would not match).
describe('serverEventIdFor', () => {
  it('gives the same id as core eventIdFor for any event and key, any Unicode included', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 300 }), (event, key) => {
        expect(serverEventIdFor(event, key)).toBe(eventIdFor(event, key));
      }),
      { numRuns: 5000 },
    );
  });

  it('gives the same id for ASCII events and keys, the common case', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }), fc.string({ unit: 'grapheme-ascii', maxLength: 300 }), (event, key) => {
        expect(serverEventIdFor(event, key)).toBe(eventIdFor(event, key));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the documented id of order A-1001', () => {
    expect(serverEventIdFor('purchase_completed', 'A-1001')).toBe(eventIdFor('purchase_completed', 'A-1001'));
    expect(serverEventIdFor('purchase_completed', 'A-1001')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
