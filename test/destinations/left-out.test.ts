import { afterEach, describe, expect, it } from 'vitest';
import { createTracker, memoryStorage, type TrackingRecord } from 'conversion-kit/core';
import { gtag, hashUserData, metaPixel } from 'conversion-kit/destinations';
import { describeDecisions } from '../../src/core/describe-records';
import { contract } from '../fixtures/contract';
import { installGtagSnippet, installMetaPixelSnippet, resetPlatforms } from '../fixtures/platform-snippets';

afterEach(resetPlatforms);

// Issue 10: "a value is either sent in the form the platform documents, or left out with a recorded
// reason". In the browser the reason goes on the `delivered` record of the destination that sent the
// event without it (`omitted`), which the debugger shows; never with the value (it is personal data).

const TYPED = { email: 'not-an-email', phone: '(650) 555-1212', gender: 'robot', country: 'Narnia', date_of_birth: '01/02/1997', first_name: 'Ada' };
const EMAIL = 'email: not an e-mail address';
const PHONE = 'phone: no country code, or not 7 to 15 digits';
const COUNTRY = 'country: not a known country';

describe('hashUserData names what it left out, per platform', () => {
  it('lists each field given but left out, with the reason, for the platforms that take that field', async () => {
    const { omitted } = await hashUserData(TYPED);
    expect(omitted).toEqual({
      google: [EMAIL, PHONE, COUNTRY],
      meta: [
        EMAIL,
        PHONE,
        COUNTRY,
        'date_of_birth: not a date, or day and month ambiguous',
        'gender: not a word for female or male',
      ],
    });
    expect(JSON.stringify(omitted)).not.toMatch(/not-an-email|650|robot|Narnia|1997/);
  });

  it('says nothing of fields left empty, and has no omitted when nothing was left out', async () => {
    const hashed = await hashUserData({ email: 'ada@example.com', phone: '', gender: '  ' });
    expect(hashed).not.toHaveProperty('omitted');
  });
});

const deliveredTo = (records: readonly TrackingRecord[], destination: string) =>
  records.find((record) => record.type === 'delivered' && record.destination === destination) as Extract<TrackingRecord, { type: 'delivered' }>;

describe('a destination that sent user data with keys left out', () => {
  it('records them on its delivered record: gtag the Google ones, metaPixel the Meta ones', async () => {
    const google = installGtagSnippet();
    installMetaPixelSnippet();
    const userData = await hashUserData(TYPED);
    const tracker = createTracker({
      contract,
      storage: memoryStorage(),
      campaign: false,
      consent: { analytics: 'granted', ads: 'granted' },
      destinations: [
        gtag({ events: { purchase_completed: 'purchase' }, userData: () => userData }),
        metaPixel({ pixelId: '1234567890', events: { purchase_completed: 'Purchase' }, userData: () => userData }),
      ],
    });
    tracker.track('purchase_completed', { order_id: 'A-1', value: 129, currency: 'EUR' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    // The event went, with what could be sent.
    const purchase = google.commands().find((command) => command[0] === 'event' && command[1] === 'purchase');
    expect((purchase![2] as { user_data?: unknown }).user_data).toEqual(userData.google);
    const records = tracker.getRecords();
    expect(deliveredTo(records, 'gtag').omitted).toEqual(userData.omitted!.google);
    expect(deliveredTo(records, 'meta-pixel').omitted).toEqual(userData.omitted!.meta);
  });

  it('has no omitted on the record when the user data lost nothing', async () => {
    installGtagSnippet();
    const userData = await hashUserData({ email: 'ada@example.com' });
    const tracker = createTracker({
      contract,
      storage: memoryStorage(),
      campaign: false,
      destinations: [gtag({ events: { purchase_completed: 'purchase' }, userData: () => userData })],
    });
    tracker.track('purchase_completed', { order_id: 'A-2', value: 129, currency: 'EUR' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(deliveredTo(tracker.getRecords(), 'gtag')).not.toHaveProperty('omitted');
  });

  it('shows in the debugger\'s words as a delivery worth a look, naming what was left out', async () => {
    installGtagSnippet();
    const userData = await hashUserData({ email: 'ada@example.com', phone: '(650) 555-1212' });
    const tracker = createTracker({
      contract,
      storage: memoryStorage(),
      campaign: false,
      destinations: [gtag({ events: { purchase_completed: 'purchase' }, userData: () => userData })],
    });
    tracker.track('purchase_completed', { order_id: 'A-3', value: 129, currency: 'EUR' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(describeDecisions(tracker.getRecords())[0]!.outcomes).toEqual([
      expect.objectContaining({ tone: 'warning', text: `Delivered to gtag without: ${PHONE}` }),
    ]);
  });
});
