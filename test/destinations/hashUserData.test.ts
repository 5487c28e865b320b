import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashUserData } from 'conversion-kit/destinations';

/** An independent SHA-256 (node:crypto), for vectors no platform publishes. */
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('hashUserData for Meta (vectors published on Meta\'s Customer Information Parameters page)', () => {
  it('hashes an e-mail trimmed and lowercased, with no Gmail dot rule', async () => {
    const { meta } = await hashUserData({ email: ' John_Smith@gmail.com ' });
    expect(meta.em).toBe('62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f');
  });

  it('hashes a phone as digits with the country code and no +', async () => {
    const { meta } = await hashUserData({ phone: '(650)555-1212' }, { countryCallingCode: '1' });
    expect(meta.ph).toBe('e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176');
  });

  it('hashes first names lowercased, in UTF-8, NFC-normalised', async () => {
    expect((await hashUserData({ first_name: 'Mary' })).meta.fn).toBe('6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec');
    expect((await hashUserData({ first_name: '정' })).meta.fn).toBe('8fa8cd9c440be61d0151429310034083132b35975c4bea67fdd74158eb51db14');
    const decomposed = 'Vale\u0301ry';
    expect((await hashUserData({ first_name: decomposed })).meta.fn).toBe('08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c');
  });

  it('hashes every field, including city, state, zip and country', async () => {
    const { meta } = await hashUserData({ city: 'San Francisco', region: 'CA', postal_code: '94025-1234', country: 'US', external_id: ' u-42 ' });
    expect(meta).toEqual({
      ct: sha256('sanfrancisco'),
      st: sha256('ca'),
      zp: sha256('94025'),
      country: sha256('us'),
      external_id: sha256('u-42'),
    });
  });
});

describe('hashUserData for Google (no published vectors: checked against node:crypto)', () => {
  it('removes dots before @gmail.com after trimming and lowercasing', async () => {
    const { google } = await hashUserData({ email: '  John.Smith@Gmail.com ' });
    expect(google.sha256_email_address).toBe(sha256('johnsmith@gmail.com'));
    expect(google.sha256_email_address).toBe('3586de92bb3636d0885a12eff961429a32e4ebd764b96f50d85d016f9338d586');
  });

  it('removes dots for googlemail.com too, keeping the + tag and the domain', async () => {
    const { google } = await hashUserData({ email: 'jane.doe+promo@googlemail.com' });
    expect(google.sha256_email_address).toBe(sha256('janedoe+promo@googlemail.com'));
  });

  it('keeps dots in other domains', async () => {
    const { google } = await hashUserData({ email: 'John.Smith@Example.com' });
    expect(google.sha256_email_address).toBe(sha256('john.smith@example.com'));
  });

  it('hashes phones in E.164 with the +', async () => {
    expect((await hashUserData({ phone: '+1 (650) 555-1212' })).google.sha256_phone_number).toBe(sha256('+16505551212'));
    expect((await hashUserData({ phone: '0044 20 7183 8750' })).google.sha256_phone_number).toBe(sha256('+442071838750'));
    expect((await hashUserData({ phone: '020 7183 8750' }, { countryCallingCode: '44' })).google.sha256_phone_number).toBe(sha256('+442071838750'));
  });

  it('hashes names and street, and sends city, region, postal code and country unhashed', async () => {
    const { google } = await hashUserData({
      first_name: ' John ',
      last_name: "O'Doe3",
      street: '123 Main Street.',
      city: 'San Francisco',
      region: 'CA',
      postal_code: '94025',
      country: 'us',
    });
    expect(google).toEqual({
      address: {
        sha256_first_name: sha256('john'),
        sha256_last_name: sha256('odoe'),
        sha256_street: sha256('123 main street'),
        city: 'san francisco',
        region: 'ca',
        postal_code: '94025',
        country: 'US',
      },
    });
  });
});

describe('hashUserData', () => {
  it('leaves out empty and invalid fields instead of hashing an empty string', async () => {
    const hashed = await hashUserData({ email: 'not-an-email', phone: '12', first_name: '  ', country: 'Germany' });
    expect(hashed).toEqual({ google: {}, meta: {} });
  });

  it('leaves out a national number (leading 0) when no country code is known, for both platforms', async () => {
    const hashed = await hashUserData({ phone: '020 7183 8750' });
    expect(hashed).toEqual({ google: {}, meta: {} });
  });

  it('never returns a raw value', async () => {
    const hashed = await hashUserData({ email: 'jane@example.com', phone: '+1 650 555 1212', first_name: 'Jane' });
    expect(JSON.stringify(hashed)).not.toMatch(/jane|650|example/i);
  });
});
