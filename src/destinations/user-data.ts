import type { SendResult } from '../core/destination';

declare const sha256: unique symbol;

/**
 * A lowercase hex SHA-256 digest made by {@link hashUserData}: a raw string is a type error.
 *
 * @example
 * const email: Sha256Hex | undefined = (await hashUserData({ email })).google.sha256_email_address;
 */
export type Sha256Hex = string & { readonly [sha256]: true };

/**
 * User-provided data for Google (gtag `user_data`, enhanced conversions), normalised and hashed the
 * way Google documents. Address parts other than names and street are sent unhashed, as Google asks.
 *
 * @example
 * { sha256_email_address: '3586de92…', address: { sha256_first_name: '96d9632f…', country: 'US' } }
 */
export interface GoogleUserData {
  readonly sha256_email_address?: Sha256Hex;
  readonly sha256_phone_number?: Sha256Hex;
  readonly address?: {
    readonly sha256_first_name?: Sha256Hex;
    readonly sha256_last_name?: Sha256Hex;
    /**
     * The hashed street. Google's key tables for the tag list only `address.street`, but gtag.js
     * itself reads `sha256_street` in each `address` entry the way it reads `sha256_first_name`
     * (its user_data reader maps street -> `sha256_street`, as in the Measurement Protocol's
     * `address[].sha256_street`), so the street is sent hashed like the names.
     */
    readonly sha256_street?: Sha256Hex;
    readonly city?: string;
    readonly region?: string;
    readonly postal_code?: string;
    readonly country?: string;
  };
}

/**
 * Customer information for Meta (pixel advanced matching, Conversions API `user_data`), all hashed.
 *
 * @example
 * { em: '62a14e44…', ph: 'e323ec62…' }
 */
export interface MetaUserData {
  readonly em?: Sha256Hex;
  readonly ph?: Sha256Hex;
  readonly fn?: Sha256Hex;
  readonly ln?: Sha256Hex;
  readonly ct?: Sha256Hex;
  readonly st?: Sha256Hex;
  readonly zp?: Sha256Hex;
  readonly country?: Sha256Hex;
  readonly external_id?: Sha256Hex;
  /** Date of birth, `YYYYMMDD` before hashing. */
  readonly db?: Sha256Hex;
  /** Gender, `f` or `m` before hashing. */
  readonly ge?: Sha256Hex;
}

/**
 * What {@link hashUserData} returns: one normalisation per platform, since Google and Meta differ
 * (Google hashes `+16505551212` and drops dots in Gmail addresses; Meta hashes `16505551212` and
 * keeps them). The gtag, googleAds and metaPixel destinations accept only this.
 *
 * @example
 * const userData = await hashUserData({ email: 'Jane.Doe@gmail.com', phone: '+1 650 555 1212' });
 * userData.google.sha256_email_address // sha256('janedoe@gmail.com')
 * userData.meta.em                     // sha256('jane.doe@gmail.com')
 */
export interface HashedUserData {
  readonly google: GoogleUserData;
  readonly meta: MetaUserData;
  /**
   * What was given but left out, per platform, one line each: the field and why, never the value
   * (`phone: no country code, or not 7 to 15 digits`). Absent when nothing was.
   * The gtag, googleAds and metaPixel destinations put their platform's list on the event's
   * `delivered` record (`omitted`), which the debugger shows.
   *
   * @example
   * (await hashUserData({ phone: '(650) 555-1212' })).omitted // { google: ['phone: no country code …'], meta: ['phone: no country code …'] }
   */
  readonly omitted?: { readonly google: readonly string[]; readonly meta: readonly string[] };
}

const HEX = /^[0-9a-f]{64}$/;
/** The only values sent unhashed: the address parts Google asks for in clear. */
export const GOOGLE_PLAIN = /^(city|region|postal_code|country)$/;

/**
 * Sends with the `part` of the user data `read` returns, after checking at runtime that every value
 * in it, nested ones too, is a SHA-256 hex digest, but strings under the keys `plain` matches
 * (Google's address parts in clear, {@link GOOGLE_PLAIN}). When `read` throws or the data is
 * refused, it sends without user data: the event is the conversion and must not be lost for its
 * match keys. A refusal then rejects the send, after the event went, so it still becomes a `failed`
 * record and an `onError` call naming the field, never its value (it may be the raw e-mail address
 * we refuse to send). What the destination left out of the event (`left`, such as a `value` in no
 * form the platform reads) and what `hashUserData` left out for this platform (`omitted`) are returned
 * once the event went, for the `delivered` record.
 */
export function sendWithUserData<P extends 'google' | 'meta'>(
  read: () => HashedUserData | null | undefined,
  part: P,
  send: (user: HashedUserData[P] | undefined) => void | Promise<void>,
  plain?: RegExp,
  left: string[] = [],
): void | SendResult | Promise<void | SendResult> {
  let user: HashedUserData[P] | undefined;
  let refusal: unknown;
  try {
    const data = read();
    const fields = data?.[part];
    left.push(...(data?.omitted?.[part] ?? []));
    if (fields != null) {
      // JSON.stringify's replacer visits every value: the part itself first (key ''), nested ones too.
      JSON.stringify(fields, (key, value: unknown) => {
        const at = `${part}.${key}`;
        if (typeof value != 'object' && !(plain?.test(key) ? typeof value == 'string' : HEX.test(value as string))) {
          throw new Error(`${at} is not hashed: pass hashUserData() output`);
        }
        return value;
      });
      if (Object.keys(fields).length > 0) user = fields;
    }
  } catch (error) {
    refusal = error;
  }
  const sending = send(user);
  // A part's list may be empty (the other platform lost something): the record then has no omitted.
  return refusal || left[0]
    ? Promise.resolve(sending).then(() => {
        if (refusal) throw new Error(`user data refused, the event went without it (${(refusal as Error).message ?? refusal})`);
        return left[0] ? { omitted: left } : undefined;
      })
    : sending;
}
