/**
 * Event ids shared by the browser and the server. A deduped event's id is a name-based UUID
 * (RFC 9562 version 8, as in RFC 9562 appendix B.2) computed from
 * `${EVENT_ID_NAMESPACE}:${event}:${dedupeKey}`: the UTF-8 bytes hashed with FNV-1a 128, the first
 * 128 bits of the hash laid out as a UUID with version 8 and the RFC variant. Any side that reports the
 * same order derives the same id: the key Meta (`event_id`), Segment (`messageId`) and our collector
 * dedup on. FNV-1a is in Go's standard library (`hash/fnv.New128a`) and a few lines elsewhere (see the
 * README); it was chosen over UUID v5's SHA-1 because it costs a fraction of the bytes in the browser
 * bundle and runs synchronously. Dedup ids need no cryptographic strength: anyone can post any id.
 */

/** The conversion-kit id namespace. Never change it: ids already sent depend on it. */
export const EVENT_ID_NAMESPACE = '74f7d867-cd9f-4a5a-a9e4-e098640fd08f';

const UUID = /^[\da-f]{8}-[\da-f]{4}-[1-8][\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/i;

/** 32 hex digits as a UUID string with the given version and the RFC 9562 variant. */
export function toUuid(hex: string, version: number): string {
  const variant = '89ab'[parseInt(hex[16]!, 16) & 3];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${version}${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/**
 * The deterministic event id of `event` with `dedupeKey`: a name-based UUID (version 8).
 *
 * @example
 * eventIdFor('purchase_completed', 'A-1001') // the same string in the browser and on the server
 */
export function eventIdFor(event: string, dedupeKey: string): string {
  // FNV-1a 128: for each byte xor and multiply by the FNV prime, modulo 2^128. The name's start,
  // `${EVENT_ID_NAMESPACE}:`, is the same for every id: this is the state after it (from the offset
  // basis 0x6c62272e07bb014262b821756295c58d), so only `${event}:${dedupeKey}` is hashed here.
  // test/core/tracker.test.ts checks ids against FNV-1a 128 of the whole name from the offset basis.
  let hash = 0x272882a31239292d52d5170dc9d90cf6n;
  // The name's UTF-8 bytes as the characters of a string (a lone surrogate, which encodeURI
  // refuses, is U+FFFD as TextEncoder has it): TextEncoder's typed array cost Chromium 4-10 µs a call.
  for (const byte of unescape(encodeURI(`${event}:${dedupeKey}`.replace(/\p{Cs}/gu, '\ufffd')))) {
    hash = ((hash ^ BigInt(byte.charCodeAt(0))) * 0x1000000000000000000013bn) & 0xffffffffffffffffffffffffffffffffn;
  }
  return toUuid(hash.toString(16).padStart(32, '0'), 8);
}

/**
 * A random UUID v4 for events without a dedup key.
 *
 * @example
 * randomEventId() // '3b241101-e2bb-4255-8caf-4136c566a962'
 */
export function randomEventId(): string {
  // crypto.randomUUID exists only in secure contexts; getRandomValues everywhere.
  const words = globalThis.crypto.getRandomValues(new Uint32Array(4));
  return toUuid(Array.from(words, (word) => word.toString(16).padStart(8, '0')).join(''), 4);
}

/** Whether `value` is an RFC 9562 UUID string (versions 1 to 8). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
