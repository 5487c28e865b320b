import type { UserData } from './server-destination';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const PUNCTUATION = /[\p{P}\p{S}]/gu;
const SPACE = /\s+/g;

// WebCrypto, not node:crypto: the same code runs on Node 20+ and on edge runtimes (Workers, Deno, Bun).
async function sha256(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Meta's normalisation per field ("Customer Information Parameters"): what is hashed. */
const NORMALISE = {
  em: (text: string) => text.trim().toLowerCase(),
  // Digits only, without leading zeros ("+44 ..." and "0044 ..." both give "44...").
  ph: (text: string) => text.replace(/\D/g, '').replace(/^0+/, ''),
  fn: (text: string) => text.toLowerCase().replace(PUNCTUATION, '').trim(),
  ln: (text: string) => text.toLowerCase().replace(PUNCTUATION, '').trim(),
  db: (text: string) => {
    const digits = text.replace(/\D/g, '');
    return digits.length === 8 ? digits : '';
  },
  ge: (text: string) => {
    const first = text.trim().toLowerCase()[0];
    return first === 'f' || first === 'm' ? first : '';
  },
  ct: (text: string) => text.toLowerCase().replace(PUNCTUATION, '').replace(SPACE, ''),
  st: (text: string) => text.toLowerCase().replace(PUNCTUATION, '').replace(SPACE, ''),
  // US ZIP+4 keeps its first five digits; other postcodes lose spaces and dashes.
  zp: (text: string) => {
    const clean = text.trim().toLowerCase();
    return /^\d{5}-\d{4}$/.test(clean) ? clean.slice(0, 5) : clean.replace(/[\s-]/g, '');
  },
  country: (text: string) => text.toLowerCase().replace(/[^a-z]/g, ''),
  external_id: (text: string) => text.trim(),
} as const;

type MetaField = keyof typeof NORMALISE;

const FIELDS: readonly [keyof UserData, MetaField][] = [
  ['email', 'em'],
  ['phone', 'ph'],
  ['firstName', 'fn'],
  ['lastName', 'ln'],
  ['dateOfBirth', 'db'],
  ['gender', 'ge'],
  ['city', 'ct'],
  ['state', 'st'],
  ['zip', 'zp'],
  ['country', 'country'],
  ['externalId', 'external_id'],
];

/**
 * Normalises (Unicode NFC, then Meta's per-field rules) and SHA-256 hashes user data into Meta's
 * `user_data` keys, each as a list. A value that already is a lowercase SHA-256 hex digest is kept as
 * it is; a value empty after normalisation is left out (the hash of "" matches nobody). Hashes with
 * WebCrypto, so it runs on edge runtimes too.
 *
 * @example
 * await metaUserData({ email: ' John_Smith@gmail.com ' })
 * // { em: ['62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'] }
 */
export async function metaUserData(userData: UserData | undefined): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  if (!userData) return out;
  for (const [field, key] of FIELDS) {
    const raw = userData[field];
    const values = (Array.isArray(raw) ? raw : [raw]).filter((value): value is string => typeof value === 'string');
    const hashed: string[] = [];
    for (const value of values) {
      if (SHA256_HEX.test(value)) {
        hashed.push(value);
        continue;
      }
      const normalised = NORMALISE[key](value.normalize('NFC'));
      if (normalised !== '') hashed.push(await sha256(normalised));
    }
    if (hashed.length > 0) out[key] = [...new Set(hashed)];
  }
  return out;
}
