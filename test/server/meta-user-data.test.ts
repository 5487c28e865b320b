import { describe, expect, it } from 'vitest';
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
