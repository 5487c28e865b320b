import { birthDate, countryCode, emailAddress, genderCode, LEFT_OUT, metaName, phoneDigits, postalCode, stateCode } from '../../destinations/match-keys';
import type { UserData } from '../delivery/server-destination';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const PUNCTUATION = /[\p{P}\p{S}]/gu;
const SPACE = /\s+/g;

// WebCrypto, not node:crypto: the same code runs on Node 20+ and on edge runtimes (Workers, Deno, Bun).
async function sha256(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Meta's normalisation per field ("Customer Information Parameters"): what is hashed, '' to leave the
 * value out. Dates, countries, states, genders and postcodes use the rules `hashUserData` uses in the
 * browser (src/destinations/match-keys.ts), so both send the same hash.
 */
const NORMALISE = {
  em: emailAddress,
  // E.164 digits ("+44 ..." and "0044 ..." both give "44..."); without + or 00 the country code is
  // unknown, and the number is left out.
  ph: (text: string) => phoneDigits(text),
  fn: metaName,
  ln: metaName,
  db: birthDate,
  ge: genderCode,
  ct: (text: string) => text.toLowerCase().replace(PUNCTUATION, '').replace(SPACE, ''),
  st: stateCode,
  zp: postalCode,
  country: countryCode,
  external_id: (text: string) => text.trim(),
} satisfies Record<string, (text: string, country: string) => string>;

type MetaField = keyof typeof NORMALISE;

/** Why a key normalised to nothing, where the rule has a nameable reason. */
const WHY_LEFT_OUT: Partial<Record<MetaField, string>> = {
  em: LEFT_OUT.email,
  ph: LEFT_OUT.phone,
  db: LEFT_OUT.date_of_birth,
  ge: LEFT_OUT.gender,
  st: LEFT_OUT.region,
  country: LEFT_OUT.country,
};

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
 * it is; a value that cannot be put in Meta's form (an e-mail without `@`, an ambiguous date such as
 * `01/02/1997`, an unrecognised gender or country) is left out, and named in `omitted` when given
 * (never with its value). Hashes with WebCrypto, so it runs on edge runtimes too.
 *
 * @example
 * await metaUserData({ email: ' John_Smith@gmail.com ' })
 * // { em: ['62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'] }
 */
export async function metaUserData(userData: UserData | undefined, omitted?: string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  if (!userData) return out;
  const country = countryCode(userData.country ?? '');
  for (const [field, key] of FIELDS) {
    const raw = userData[field];
    const values = (Array.isArray(raw) ? raw : [raw]).filter((value): value is string => typeof value === 'string');
    const hashed: string[] = [];
    for (const value of values) {
      if (SHA256_HEX.test(value)) {
        hashed.push(value);
        continue;
      }
      const normalised = NORMALISE[key](value.normalize('NFC'), country);
      if (normalised !== '') hashed.push(await sha256(normalised));
      else if (value.trim() !== '') omitted?.push(`user_data.${key} (${field}): ${WHY_LEFT_OUT[key] ?? 'not in a form Meta documents'}, left out`);
    }
    if (hashed.length > 0) out[key] = [...new Set(hashed)];
  }
  return out;
}
