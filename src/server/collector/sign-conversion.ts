import type { Envelope } from '../../core/envelope';

/**
 * What {@link signConversion} signs: the event, the occurrence (its dedup key: the order id) and the
 * value the backend confirmed.
 *
 * @example
 * { secret: process.env.CONVERSION_SECRET!, event: 'purchase_completed', dedupeKey: order.id, value: order.total }
 */
export interface SignConversionInput {
  /** A secret of at least 32 characters, known only to your servers (the collector's `proofs.secret`). */
  readonly secret: string;
  /** The contract's event name. */
  readonly event: string;
  /** The dedup key of this occurrence (the order id). */
  readonly dedupeKey: string | number;
  /** The payload's `value` as the backend confirmed it; leave out for events without one. */
  readonly value?: number;
}

const PREFIX = 'v1.';
const MIN_SECRET_LENGTH = 32;
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

/** Checks a secret's length; returns a message when it is too weak. */
export function weakSecret(secret: unknown): string | undefined {
  return typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH
    ? undefined
    : `a secret must be a string of at least ${MIN_SECRET_LENGTH} characters`;
}

const keyFor = (secret: string) => {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
};

// One line per field: no value can contain the separator and move a boundary.
const message = (event: string, dedupeKey: string, value: number | undefined) =>
  encoder.encode(`${PREFIX}\n${event}\n${dedupeKey}\n${value === undefined ? '' : String(value)}`);

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

const fromBase64url = (text: string): Uint8Array<ArrayBuffer> | undefined => {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '=');
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
};

/**
 * Signs a conversion the backend confirmed, for the page to pass along: `track(event, payload, { proof })`.
 * A collector whose `proofs.events` lists the event forwards a browser report of it only with a
 * proof for the same event, dedup key and value (HMAC-SHA256 with WebCrypto: Node 20+, edge runtimes).
 * Call it where the order is confirmed (the payment API's answer, a server component of the
 * thank-you page) and never ship the secret to the browser.
 *
 * @example
 * // the route that confirms the payment
 * const proof = await signConversion({ secret: process.env.CONVERSION_SECRET!, event: 'purchase_completed', dedupeKey: order.id, value: order.total });
 * return Response.json({ orderId: order.id, total: order.total, proof });
 */
export async function signConversion(input: SignConversionInput): Promise<string> {
  const weak = weakSecret(input.secret);
  if (weak) throw new TypeError(`[conversion-kit] signConversion: ${weak}`);
  const signature = await crypto.subtle.sign('HMAC', await keyFor(input.secret), message(input.event, String(input.dedupeKey), input.value));
  return PREFIX + base64url(new Uint8Array(signature));
}

/**
 * Why `envelope.proof` does not prove `envelope` with any of `secrets`, or `undefined` when it does.
 * Verification is constant-time (WebCrypto's `verify`).
 */
export async function proofProblem(envelope: Envelope, secrets: readonly string[]): Promise<string | undefined> {
  const field = `${envelope.event}.proof`;
  const { proof, dedupeKey } = envelope;
  if (proof === undefined) return `${field}: this event needs the proof signConversion gives for it, and none was sent`;
  if (dedupeKey === null) return `${field}: a signed event needs a dedup key (the order id) to sign`;
  const signature = proof.startsWith(PREFIX) ? fromBase64url(proof.slice(PREFIX.length)) : undefined;
  if (!signature) return `${field}: not a proof from signConversion (expected "v1." and 43 base64url characters)`;
  const value = typeof envelope.payload.value === 'number' ? envelope.payload.value : undefined;
  const data = message(envelope.event, dedupeKey, value);
  for (const secret of secrets) {
    if (await crypto.subtle.verify('HMAC', await keyFor(secret), signature, data)) return undefined;
  }
  return `${field}: the proof does not match this event, dedup key "${dedupeKey}" and value ${value ?? '(none)'}`;
}
