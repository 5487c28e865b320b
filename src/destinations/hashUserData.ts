import { birthDate, countryCode, emailAddress, genderCode, LEFT_OUT, metaName, phoneDigits, postalCode, stateCode } from './match-keys';
import type { GoogleUserData, HashedUserData, MetaUserData, Sha256Hex } from './user-data';

/**
 * Raw user-provided data, as the visitor typed it. Every field is optional; empty ones are left out.
 *
 * @example
 * { email: ' Jane.Doe@Gmail.com ', phone: '+1 (650) 555-1212', first_name: 'Jane', country: 'US' }
 */
export interface UserDataInput {
  /**
   * E-mail address as typed; left out without an `@`.
   *
   * @example
   * email: ' Jane.Doe@Gmail.com '
   */
  email?: string;
  /**
   * International format (`+44 20 7183 8750`, `0044...`), or national with `countryCallingCode`. A
   * national number (`020 7183 8750`) without `countryCallingCode` is left out.
   *
   * @example
   * phone: '+1 (650) 555-1212'
   */
  phone?: string;
  /**
   * Given name; digits and symbols are dropped.
   *
   * @example
   * first_name: 'Jane'
   */
  first_name?: string;
  /**
   * Family name; digits and symbols are dropped.
   *
   * @example
   * last_name: "O'Doe"
   */
  last_name?: string;
  /**
   * Street address, hashed for both platforms.
   *
   * @example
   * street: '123 Main Street'
   */
  street?: string;
  /**
   * City: sent unhashed to Google, hashed to Meta.
   *
   * @example
   * city: 'San Francisco'
   */
  city?: string;
  /**
   * State or province. A US state's name becomes its two-letter code (`California` -> `ca`); with
   * country `US`, an unknown name is left out.
   *
   * @example
   * region: 'CA'
   */
  region?: string;
  /**
   * Postal code: unhashed for Google; hashed for Meta, a US ZIP+4 cut to its first 5 digits.
   *
   * @example
   * postal_code: '94025'
   */
  postal_code?: string;
  /**
   * Country: an ISO 3166-1 alpha-2 code, or a common name or alpha-3 code (`United States`, `USA`,
   * `UK`), sent as alpha-2. A name not in the table is left out.
   *
   * @example
   * country: 'US'
   */
  country?: string;
  /**
   * Date of birth (Meta only), sent as `YYYYMMDD`: `1997-02-16`, `19970216`, `02/16/1997`,
   * `16.02.1997`. Left out when day and month cannot be told apart (`01/02/1997`).
   *
   * @example
   * date_of_birth: '1997-02-16'
   */
  date_of_birth?: string;
  /**
   * Gender (Meta only): `f` or `m` from a recognised word (`Female`, `male`, `mujer`, `F`); any other
   * value is left out.
   *
   * @example
   * gender: 'female'
   */
  gender?: string;
  /**
   * Your own id for the visitor (Meta only; hashed, as Meta recommends).
   *
   * @example
   * external_id: 'customer-4711'
   */
  external_id?: string;
}

/** Options of {@link hashUserData}. */
export interface HashUserDataOptions {
  /**
   * The calling code for phone numbers typed without one (`'1'`, `'44'`): `(650) 555-1212` becomes
   * `+16505551212`, a national trunk `0` is dropped. Without it, a number without `+` or `00` is left
   * out: its country code is unknown, and hashed as typed it would match nobody (`+6505551212` is
   * not the E.164 Google asks for; Meta needs the country code). A trunk `0` written after the
   * country code is dropped (`+44 (0)20 7183 8750` -> `+442071838750`, `+49-030-1234567` ->
   * `+49301234567`).
   *
   * @example
   * hashUserData({ phone: '020 7183 8750' }, { countryCallingCode: '44' })
   */
  countryCallingCode?: string;
}

const SYMBOLS = /[\p{P}\p{S}]/gu;
/** The fields whose loss `omitted` names (external_id and postal codes are never emptied). */
const FIELDS = 'email phone first_name last_name street city region country date_of_birth gender';
const DIGITS = /\p{N}/gu;

const clean = (value: string | undefined) => (value ?? '').normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');

/** Google: trim, lowercase, no spaces; dots before `@gmail.com` / `@googlemail.com` removed. */
function googleEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 1 || at === value.length - 1) return '';
  const [local, domain] = [value.slice(0, at), value.slice(at + 1)];
  return domain === 'gmail.com' || domain === 'googlemail.com' ? `${local.replace(/\./g, '')}@${domain}` : value;
}

const name = (value: string | undefined) => clean(value).replace(SYMBOLS, '').replace(DIGITS, '').trim();

async function sha256(text: string): Promise<Sha256Hex | undefined> {
  if (!text) return undefined; // never the hash of an empty string
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('[conversion-kit] hashUserData needs WebCrypto (crypto.subtle): a secure context (https or localhost)');
  const digest = new Uint8Array(await subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('') as Sha256Hex;
}

/** Drops `undefined` and empty values, so absent fields never become keys. */
function compact<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== '')) as T;
}

/**
 * Normalises and SHA-256 hashes user-provided data in the browser with WebCrypto, once per platform
 * rule set, so raw e-mail addresses and phone numbers never leave the page. Invalid or empty fields
 * are left out (an e-mail without `@`, a phone with fewer than 7 or more than 15 digits, a phone
 * without its country code when `countryCallingCode` is not given, an ambiguous date of birth, a
 * country or gender not recognised); each one given but left out is named, with the reason, in
 * `omitted` per platform, and the destinations that send the data record it.
 *
 * Google (enhanced conversions): trim, lowercase, dots removed from Gmail/Googlemail local parts,
 * phone in E.164 with `+`, names without digits or symbols; city, region, postal code and country
 * stay unhashed as Google asks. Meta (advanced matching, Conversions API): trim, lowercase, no Gmail
 * rule, phone as digits with country code and no `+`, every field hashed, strings NFC-normalised.
 *
 * @example
 * const userData = await hashUserData({ email: form.email, phone: form.phone }, { countryCallingCode: '1' });
 * tracker.track('lead_submitted', { form_id: 'demo' }); // gtag({ userData: () => userData }) sends userData.google
 */
export async function hashUserData(input: UserDataInput, options: HashUserDataOptions = {}): Promise<HashedUserData> {
  const phone = phoneDigits(input.phone ?? '', options.countryCallingCode);
  const email = emailAddress(input.email ?? '');
  const country = countryCode(input.country ?? '');
  const region = stateCode(input.region ?? '', country);
  const [gEmail, gPhone, gFirst, gLast, gStreet, em, ph, fn, ln, ct, st, zp, mCountry, externalId, db, ge] = await Promise.all([
    sha256(googleEmail(email)),
    sha256(phone && `+${phone}`),
    sha256(name(input.first_name)),
    sha256(name(input.last_name)),
    sha256(clean(input.street).replace(SYMBOLS, '').trim()),
    sha256(email),
    sha256(phone),
    sha256(metaName(input.first_name ?? '')),
    sha256(metaName(input.last_name ?? '')),
    sha256(clean(input.city).replace(SYMBOLS, '').replace(/ /g, '')),
    sha256(region),
    sha256(postalCode(input.postal_code ?? '', country)),
    sha256(country),
    sha256((input.external_id ?? '').trim()),
    sha256(birthDate(input.date_of_birth ?? '')),
    sha256(genderCode(input.gender ?? '')),
  ]);
  const address = compact({
    sha256_first_name: gFirst,
    sha256_last_name: gLast,
    sha256_street: gStreet,
    city: name(input.city),
    region,
    postal_code: (input.postal_code ?? '').replace(/[.~]/g, '').trim(),
    country: country.toUpperCase(),
  });
  const google: GoogleUserData = compact({
    sha256_email_address: gEmail,
    sha256_phone_number: gPhone,
    address: Object.keys(address).length > 0 ? address : undefined,
  });
  const meta: MetaUserData = compact({ em, ph, fn, ln, ct, st, zp, country: mCountry, external_id: externalId, db, ge });
  // A field given but left out, per platform that takes it: `field: why`, never the value. Each
  // field's result per platform, in the order of FIELDS; 1 where the platform does not take it.
  const results = { google: [gEmail, gPhone, gFirst, gLast, gStreet, address.city, region, country, 1, 1], meta: [em, ph, fn, ln, 1, ct, st, mCountry, db, ge] };
  const omitted = { google: [] as string[], meta: [] as string[] };
  FIELDS.split(' ').forEach((field, i) => {
    if (input[field as keyof UserDataInput]?.trim()) {
      for (const part of ['google', 'meta'] as const) if (!results[part][i]) omitted[part].push(`${field}: ${LEFT_OUT[field] ?? LEFT_OUT['']}`);
    }
  });
  return omitted.google[0] || omitted.meta[0] ? { google, meta, omitted } : { google, meta };
}
