import { describe, expect, it } from 'vitest';
import { hashUserData } from 'conversion-kit/destinations';
import { metaUserData } from 'conversion-kit/server';

// Expected hashes: Meta's published examples ("Customer Information Parameters") where Meta gives one.
describe('metaUserData', () => {
  it('trims and lowercases an email before hashing (Meta vector)', async () => {
    expect(await metaUserData({ email: ' John_Smith@gmail.com ' })).toEqual({
      em: ['62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f'],
    });
  });

  it('keeps only the digits of a phone number, without a plus (Meta vector)', async () => {
    expect(await metaUserData({ phone: '+1 (650) 555-1212' })).toEqual({
      ph: ['e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176'],
    });
  });

  it('drops the international 00 prefix of a phone number like the plus', async () => {
    expect(await metaUserData({ phone: '001 650 555 1212' })).toEqual(await metaUserData({ phone: '+16505551212' }));
  });

  it('lowercases names (Meta vectors, including UTF-8 names)', async () => {
    expect(await metaUserData({ firstName: 'Mary', lastName: '정' })).toEqual({
      fn: ['6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec'],
      ln: ['8fa8cd9c440be61d0151429310034083132b35975c4bea67fdd74158eb51db14'],
    });
  });

  it('normalises names to NFC, so a decomposed é matches Meta vector for Valéry', async () => {
    expect(await metaUserData({ firstName: 'Vale\u0301ry' })).toEqual({
      fn: ['08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c'],
    });
  });

  it('keeps a value that already is a SHA-256 digest as it is', async () => {
    const hashed = '973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b';
    expect(await metaUserData({ email: hashed })).toEqual({ em: [hashed] });
  });

  it('hashes several emails as a list and leaves out what is empty after normalisation', async () => {
    const result = await metaUserData({ email: ['a@example.com', 'A@example.com ', '  '], gender: 'x' });
    expect(result).toEqual({ em: [expect.stringMatching(/^[0-9a-f]{64}$/)] });
  });

  it('normalises city, state, zip, country, birth date and gender before hashing', async () => {
    expect(await metaUserData({ city: 'San Francisco', state: 'CA', zip: '94025-1234', country: 'US', dateOfBirth: '1990-02-28', gender: 'Female' }))
      .toEqual(await metaUserData({ city: 'sanfrancisco', state: 'ca', zip: '94025', country: 'us', dateOfBirth: '19900228', gender: 'f' }));
  });
});

// Meta, "Customer Information Parameters" (Conversions API):
// https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters
describe('metaUserData match keys as Meta documents them', () => {
  it('hashes 2/16/1997 as 19970216 (Meta vector 01acdbf6…), and 02/16/1997 and 16.02.1997 alike', async () => {
    const published = ['01acdbf6ec7b4f478a225f1a246e5d6767eeab1a7ffa17f025265b5b94f40f0c'];
    for (const dateOfBirth of ['2/16/1997', '02/16/1997', '16.02.1997', '1997-02-16']) {
      expect((await metaUserData({ dateOfBirth })).db, dateOfBirth).toEqual(published);
    }
  });

  it('leaves out an ambiguous date of birth and names the field, not the value', async () => {
    const omitted: string[] = [];
    expect(await metaUserData({ dateOfBirth: '01/02/1997' }, omitted)).toEqual({});
    expect(omitted).toEqual([expect.stringContaining('user_data.db (dateOfBirth)')]);
    expect(omitted.join()).not.toContain('1997');
  });

  it('hashes United States as us (Meta vector 79adb2a2…), and USA too; UK as gb', async () => {
    const published = ['79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621'];
    expect((await metaUserData({ country: 'United States' })).country).toEqual(published);
    expect((await metaUserData({ country: 'USA' })).country).toEqual(published);
    expect(await metaUserData({ country: 'UK' })).toEqual(await metaUserData({ country: 'gb' }));
  });

  it('hashes the US state California as ca', async () => {
    expect(await metaUserData({ state: 'California', country: 'US' })).toEqual(await metaUserData({ state: 'ca', country: 'US' }));
  });

  it('leaves out a gender word it does not know instead of taking its first letter (mujer is f, not m)', async () => {
    expect(await metaUserData({ gender: 'mujer' })).toEqual(await metaUserData({ gender: 'f' }));
    expect(await metaUserData({ gender: 'marsian' })).toEqual({});
  });

  it('leaves out an e-mail address without @', async () => {
    expect(await metaUserData({ email: 'not-an-email' })).toEqual({});
  });
});

describe('browser and server agree', () => {
  it('hashUserData and metaUserData send the same hashes for the same customer', async () => {
    const { meta } = await hashUserData({
      email: 'Jane.Doe@Example.com', first_name: 'Valéry', last_name: "O'Doe", city: 'San Francisco', region: 'California',
      postal_code: '94035-1234', country: 'United States', date_of_birth: '02/16/1997', gender: 'Female', external_id: 'c-1',
    });
    const server = await metaUserData({
      email: 'Jane.Doe@Example.com', firstName: 'Valéry', lastName: "O'Doe", city: 'San Francisco', state: 'California',
      zip: '94035-1234', country: 'United States', dateOfBirth: '02/16/1997', gender: 'Female', externalId: 'c-1',
    });
    expect(Object.fromEntries(Object.entries(meta).map(([key, hash]) => [key, [hash]]))).toEqual(server);
  });
});

// Meta, "Customer Information Parameters": ph without symbols and leading zeros, with country code.
describe('metaUserData phones', () => {
  it('drops the trunk 0 after the country code (+44 (0)20 7183 8750, +49-030-1234567) like hashUserData', async () => {
    expect(await metaUserData({ phone: '+44 (0)20 7183 8750' })).toEqual(await metaUserData({ phone: '+442071838750' }));
    expect(await metaUserData({ phone: '+49-030-1234567' })).toEqual(await metaUserData({ phone: '+49301234567' }));
    expect((await metaUserData({ phone: '+49-030-1234567' })).ph).toEqual([(await hashUserData({ phone: '+49-030-1234567' })).meta.ph]);
  });

  it('leaves out a number without + or 00, whose country code is unknown', async () => {
    const omitted: string[] = [];
    expect(await metaUserData({ phone: '(650)555-1212' }, omitted)).toEqual({});
    expect(omitted).toEqual([expect.stringContaining('user_data.ph (phone)')]);
  });
});

describe('browser and server agree on awkward input', () => {
  it('names with inner punctuation and spaces, cities with accents, e-mails with spaces', async () => {
    const inputs = [
      { browser: { first_name: 'Mary - Ann ' }, server: { firstName: 'Mary - Ann ' } },
      { browser: { last_name: "O'Brien  Smith" }, server: { lastName: "O'Brien  Smith" } },
      { browser: { city: 'São  Paulo!' }, server: { city: 'São  Paulo!' } },
      { browser: { email: ' Jane.Doe @Example.com' }, server: { email: ' Jane.Doe @Example.com' } },
    ];
    for (const { browser, server } of inputs) {
      const { meta } = await hashUserData(browser);
      expect(Object.fromEntries(Object.entries(meta).map(([key, hash]) => [key, [hash]])), JSON.stringify(browser)).toEqual(await metaUserData(server));
    }
  });
});
