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
    const { google, meta, omitted } = await hashUserData({ email: 'not-an-email', phone: '12', first_name: '  ', country: 'Atlantis' });
    expect({ google, meta }).toEqual({ google: {}, meta: {} });
    // Each one given is named (the blank first name was not given); left-out.test.ts has the reasons.
    expect(omitted?.meta.map((line) => line.split(':')[0])).toEqual(['email', 'phone', 'country']);
  });

  it('leaves out a national number (leading 0) when no country code is known, for both platforms', async () => {
    const { google, meta, omitted } = await hashUserData({ phone: '020 7183 8750' });
    expect({ google, meta }).toEqual({ google: {}, meta: {} });
    expect(omitted).toEqual({ google: [expect.stringMatching(/^phone: no country code/)], meta: [expect.stringMatching(/^phone: no country code/)] });
  });

  it('never returns a raw value', async () => {
    const hashed = await hashUserData({ email: 'jane@example.com', phone: '+1 650 555 1212', first_name: 'Jane' });
    expect(JSON.stringify(hashed)).not.toMatch(/jane|650|example/i);
  });
});

// Meta, "Customer Information Parameters" (Conversions API):
// https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters
// db: YYYYMMDD (input 2/16/1997 -> 19970216); country: lowercase ISO 3166-1 alpha-2 (United States ->
// us); st: two-letter ANSI code in lowercase for US states; ge: f or m; zp: first 5 digits of a US
// ZIP, lowercase without spaces or dashes elsewhere (UK m11ae).
const META_PAGE = 'https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters';

describe(`hashUserData match keys for Meta (${META_PAGE})`, () => {
  it('hashes the date of birth as YYYYMMDD (Meta vector: 2/16/1997 -> 19970216 -> 01acdbf6…)', async () => {
    const published = '01acdbf6ec7b4f478a225f1a246e5d6767eeab1a7ffa17f025265b5b94f40f0c';
    for (const input of ['2/16/1997', '02/16/1997', '16.02.1997', '1997-02-16', '19970216', '16-02-1997']) {
      expect((await hashUserData({ date_of_birth: input })).meta.db, input).toBe(published);
    }
  });

  it('leaves out a date of birth whose day and month cannot be told apart, or that does not exist', async () => {
    for (const input of ['01/02/1997', '1997-02-30', '02/16/97', 'yesterday']) {
      expect((await hashUserData({ date_of_birth: input })).meta, input).toEqual({});
    }
  });

  it('hashes the country as lowercase alpha-2 (Meta vector: United States -> us -> 79adb2a2…)', async () => {
    const published = '79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621';
    for (const input of ['United States', 'USA', 'US', 'u.s.a.', 'United States of America']) {
      expect((await hashUserData({ country: input })).meta.country, input).toBe(published);
    }
  });

  it('maps UK, alpha-3 codes and common names to their alpha-2 code, and leaves out an unknown name', async () => {
    expect((await hashUserData({ country: 'UK' })).meta.country).toBe(sha256('gb'));
    expect((await hashUserData({ country: 'United Kingdom' })).meta.country).toBe(sha256('gb'));
    expect((await hashUserData({ country: 'DEU' })).meta.country).toBe(sha256('de'));
    expect((await hashUserData({ country: 'Spain' })).meta.country).toBe(sha256('es'));
    expect((await hashUserData({ country: 'Atlantis' })).meta).toEqual({});
  });

  it('hashes a US state name as its two-letter code (California -> ca)', async () => {
    expect((await hashUserData({ region: 'California', country: 'US' })).meta.st).toBe(sha256('ca'));
    expect((await hashUserData({ region: 'New York' })).meta.st).toBe(sha256('ny'));
    expect((await hashUserData({ region: 'Atlantis', country: 'US' })).meta.st).toBeUndefined();
  });

  it('keeps a state outside the US lowercase without punctuation or spaces', async () => {
    expect((await hashUserData({ region: 'Baden-Württemberg', country: 'DE' })).meta.st).toBe(sha256('badenwürttemberg'));
  });

  it('hashes gender as f or m only from a recognised word, and leaves out anything else', async () => {
    expect((await hashUserData({ gender: 'Female' })).meta.ge).toBe(sha256('f'));
    expect((await hashUserData({ gender: 'mujer' })).meta.ge).toBe(sha256('f'));
    expect((await hashUserData({ gender: 'M' })).meta.ge).toBe(sha256('m'));
    expect((await hashUserData({ gender: 'marsian' })).meta).toEqual({});
  });

  it('cuts a ZIP+4 to five digits even without a country, and keeps a UK postcode whole (m11ae)', async () => {
    expect((await hashUserData({ postal_code: '94035-1234' })).meta.zp).toBe(sha256('94035'));
    expect((await hashUserData({ postal_code: 'M1 1AE', country: 'UK' })).meta.zp).toBe(sha256('m11ae'));
  });
});

// Google, "Enhanced conversions for web": country as ISO alpha-2, region and postal code unhashed.
// https://developers.google.com/google-ads/api/docs/conversions/enhanced-conversions/web
describe('hashUserData match keys for Google (enhanced conversions)', () => {
  it('sends the country as alpha-2 and a US state name as its code', async () => {
    const { google } = await hashUserData({ country: 'United States', region: 'California' });
    expect(google.address).toEqual({ country: 'US', region: 'ca' });
  });
});

// Phones. Meta, "Customer Information Parameters" (URL above): "Remove symbols, letters, and any
// leading zeros. Phone numbers must include a country code." Google, "Enhanced conversions for web"
// (https://developers.google.com/google-ads/api/docs/conversions/enhanced-conversions/web): phone in
// E.164, `+` and country code.
describe('hashUserData phones with a trunk 0 or without a country code', () => {
  it('drops the (0) of +44 (0)20 7183 8750 for both platforms', async () => {
    const { google, meta } = await hashUserData({ phone: '+44 (0)20 7183 8750' });
    expect(google.sha256_phone_number).toBe(sha256('+442071838750'));
    expect(meta.ph).toBe(sha256('442071838750'));
  });

  it('drops the trunk 0 written after the country code in +49-030-1234567, but keeps an Italian 0', async () => {
    expect((await hashUserData({ phone: '+49-030-1234567' })).meta.ph).toBe(sha256('49301234567'));
    expect((await hashUserData({ phone: '+39 06 6982 1234' })).meta.ph).toBe(sha256('390669821234'));
  });

  it('leaves out (650)555-1212 without countryCallingCode: its country is unknown', async () => {
    const { google, meta, omitted } = await hashUserData({ phone: '(650)555-1212' });
    expect({ google, meta }).toEqual({ google: {}, meta: {} });
    expect(omitted?.google).toEqual([expect.stringMatching(/^phone: no country code/)]);
  });
});

// Every country alias hashUserData supports, with its ISO 3166-1 alpha-2 code (Meta: "lowercase
// two-letter country codes in ISO 3166-1 alpha-2", URL above; UK and EL are ISO's exceptionally
// reserved codes for GB and GR).
const COUNTRY_ALIASES: Record<string, string[]> = {
  us: ['USA', 'United States', 'United States of America', 'U.S.'], gb: ['GBR', 'UK', 'United Kingdom', 'Great Britain', 'England', 'Scotland', 'Wales', 'Northern Ireland'],
  de: ['DEU', 'Germany'], fr: ['FRA', 'France'], es: ['ESP', 'Spain'], it: ['ITA', 'Italy'], nl: ['NLD', 'Netherlands'], be: ['BEL', 'Belgium'],
  at: ['AUT', 'Austria'], ch: ['CHE', 'Switzerland'], ie: ['IRL', 'Ireland'], pt: ['PRT', 'Portugal'], se: ['SWE', 'Sweden'], no: ['NOR', 'Norway'],
  dk: ['DNK', 'Denmark'], fi: ['FIN', 'Finland'], pl: ['POL', 'Poland'], cz: ['CZE', 'Czechia', 'Czech Republic'], gr: ['GRC', 'EL', 'Greece'],
  ca: ['CAN', 'Canada'], mx: ['MEX', 'Mexico'], br: ['BRA', 'Brazil'], ar: ['ARG', 'Argentina'], au: ['AUS', 'Australia'], nz: ['NZL', 'New Zealand'],
  jp: ['JPN', 'Japan'], cn: ['CHN', 'China'], in: ['IND', 'India'], kr: ['KOR', 'South Korea'], za: ['ZAF', 'South Africa'],
};

describe('hashUserData country aliases', () => {
  it('maps every supported name and alpha-3 code to its alpha-2 code, for Google and Meta alike', async () => {
    for (const [code, aliases] of Object.entries(COUNTRY_ALIASES)) {
      for (const alias of aliases) {
        const { google, meta } = await hashUserData({ country: alias });
        expect([google.address?.country, meta.country], alias).toEqual([code.toUpperCase(), sha256(code)]);
      }
    }
  });
});
