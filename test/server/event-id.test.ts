import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventIdFor } from 'conversion-kit/core';
import { EVENT_ID_NAMESPACE, toUuid } from '../../src/core/event-id';
import { serverEventIdFor } from '../../src/server/delivery/event-id';

/**
 * FNV-1a 128 of the whole name, `${namespace}:${event}:${key}` in UTF-8, straight from the FNV
 * specification (offset basis, prime, BigInt modulo 2^128), laid out as a UUID v8: what both
 * implementations below must give.
 */
function reference(event: string, key: string): string {
  let hash = 0x6c62272e07bb014262b821756295c58dn;
  for (const byte of Buffer.from(`${EVENT_ID_NAMESPACE}:${event}:${key}`, 'utf8')) {
    hash = ((hash ^ BigInt(byte)) * 0x1000000000000000000013bn) % 2n ** 128n;
  }
  return toUuid(hash.toString(16).padStart(32, '0'), 8);
}

describe('eventIdFor (the browser\'s)', () => {
  it('is FNV-1a 128 of the namespaced name for any event and key, any Unicode included', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 300 }), (event, key) => {
        expect(eventIdFor(event, key)).toBe(reference(event, key));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a lone surrogate as U+FFFD, as TextEncoder and Buffer do, and never throws on one', () => {
    // encodeURI, which the browser's implementation uses for UTF-8, throws URIError on these.
    for (const key of ['A-\ud800', '\udc00-1', 'x\ud83d', '\ud83d\ude00\ude00', '\ud800\ud800']) {
      expect(eventIdFor('purchase_completed', key)).toBe(reference('purchase_completed', key));
      expect(eventIdFor('purchase_completed', key)).toBe(eventIdFor('purchase_completed', key.replace(/\p{Cs}/gu, '\ufffd')));
    }
  });
});

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
