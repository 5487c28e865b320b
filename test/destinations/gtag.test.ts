import { afterEach, describe, expect, it } from 'vitest';
import { gtag, hashUserData } from 'conversion-kit/destinations';
import { installGtagSnippet, resetPlatforms } from '../fixtures/platform-snippets';
import { order, settle, trackerWith } from './helpers';

afterEach(resetPlatforms);

describe('gtag (GA4)', () => {
  it('sends a purchase as the GA4 purchase event with transaction_id from the dedup key', () => {
    const page = installGtagSnippet();
    const { tracker } = trackerWith([gtag({ events: { purchase_completed: 'purchase' } })]);
    tracker.track('purchase_completed', order('A-1001'));
    expect(page.commands()).toEqual([
      ['event', 'purchase', { order_id: 'A-1001', value: 129, currency: 'EUR', transaction_id: 'A-1001' }],
    ]);
    expect(page.ignored()).toEqual([]);
  });

  it('never sends an empty transaction_id: a purchase without a dedup key gets its event id', () => {
    const page = installGtagSnippet();
    const { tracker } = trackerWith([
      gtag({ events: { lead_submitted: { name: 'purchase', params: () => ({ value: 10, currency: 'EUR', transaction_id: '' }) } } }),
    ]);
    const { eventId } = tracker.track('lead_submitted', { form_id: 'demo' });
    expect(page.commands()).toEqual([['event', 'purchase', { value: 10, currency: 'EUR', transaction_id: eventId }]]);
  });

  it('sends other events under their GA4 name, or the contract name when unmapped, without a transaction_id', () => {
    const page = installGtagSnippet();
    const { tracker } = trackerWith([gtag({ events: { lead_submitted: 'generate_lead' } })]);
    tracker.track('lead_submitted', { form_id: 'demo', plan: 'team' });
    tracker.track('cta_clicked', { cta_id: 'hero' });
    expect(page.commands()).toEqual([
      ['event', 'generate_lead', { form_id: 'demo', plan: 'team' }],
      ['event', 'cta_clicked', { cta_id: 'hero' }],
    ]);
  });

  it('builds parameters with the map and routes them with send_to', () => {
    const page = installGtagSnippet();
    const { tracker } = trackerWith([
      gtag({
        sendTo: 'G-TEST123',
        events: { purchase_completed: { name: 'purchase', params: ({ payload }) => ({ value: payload.value, currency: payload.currency }) } },
      }),
    ]);
    tracker.track('purchase_completed', order('A-7', 50));
    expect(page.commands()).toEqual([['event', 'purchase', { value: 50, currency: 'EUR', transaction_id: 'A-7', send_to: 'G-TEST123' }]]);
  });

  it('leaves out events mapped to false, with no record for them', () => {
    const page = installGtagSnippet();
    const { tracker, outcomes } = trackerWith([gtag({ events: { cta_clicked: false } })]);
    tracker.track('cta_clicked', { cta_id: 'hero' });
    expect(page.commands()).toEqual([]);
    expect(outcomes()).toEqual([]);
  });

  it("sends hashed user data with the event, as its user_data parameter", async () => {
    const page = installGtagSnippet();
    const userData = await hashUserData({ email: 'Jane.Doe@gmail.com' });
    const { tracker } = trackerWith([gtag({ events: { purchase_completed: 'purchase' }, userData: () => userData })]);
    tracker.track('purchase_completed', order('A-1'));
    expect(page.commands()).toEqual([
      ['event', 'purchase', { order_id: 'A-1', value: 129, currency: 'EUR', transaction_id: 'A-1', user_data: userData.google }],
    ]);
  });

  it("never sets user data page-wide, so a later event does not carry the lead's", async () => {
    const page = installGtagSnippet();
    const userData = await hashUserData({ email: 'jane@example.com' });
    const { tracker } = trackerWith([gtag({ userData: ({ event }) => (event === 'lead_submitted' ? userData : undefined) })]);
    tracker.track('lead_submitted', { form_id: 'demo' });
    tracker.track('cta_clicked', { cta_id: 'hero' });
    expect(page.commands().map((command) => command[0])).toEqual(['event', 'event']);
    expect(page.commands()[1]).toEqual(['event', 'cta_clicked', { cta_id: 'hero' }]);
  });

  it('sends the event without refused raw user data, then records the refusal as failed', async () => {
    const page = installGtagSnippet();
    const raw = { google: { sha256_email_address: 'jane@example.com' }, meta: {} };
    const { tracker, onError, outcomes } = trackerWith([gtag({ userData: () => raw as never })]);
    tracker.track('cta_clicked', { cta_id: 'hero' });
    expect(page.commands()).toEqual([['event', 'cta_clicked', { cta_id: 'hero' }]]);
    await settle();
    expect(outcomes()).toEqual(['failed:gtag:cta_clicked']);
    expect(onError.mock.calls[0]![0].message).toMatch(/went without it.*google\.sha256_email_address is not hashed/);
    expect(onError.mock.calls[0]![0].message).not.toMatch(/jane@example\.com/);
  });

  it('refuses unhashed keys such as email', async () => {
    const page = installGtagSnippet();
    const { tracker, outcomes } = trackerWith([gtag({ userData: () => ({ google: { email: 'jane@example.com' } }) as never })]);
    tracker.track('cta_clicked', { cta_id: 'hero' });
    await settle();
    expect(JSON.stringify(page.commands())).not.toMatch(/jane@example\.com/);
    expect(outcomes()).toEqual(['failed:gtag:cta_clicked']);
  });

  it('refuses raw values anywhere in the user data: in the address, or as the whole google part', async () => {
    const page = installGtagSnippet();
    const inAddress = { google: { address: { first_name: 'Jane', country: 'US' } } };
    const asPart = { google: 'jane@example.com' };
    const { tracker, outcomes } = trackerWith([
      gtag({ userData: ({ event }) => (event === 'cta_clicked' ? inAddress : asPart) as never }),
    ]);
    tracker.track('cta_clicked', { cta_id: 'hero' });
    tracker.track('form_started', { form_id: 'demo' });
    await settle();
    expect(JSON.stringify(page.commands())).not.toMatch(/Jane|jane@example\.com/);
    expect(outcomes()).toEqual(['failed:gtag:cta_clicked', 'failed:gtag:form_started']);
  });

  it('says where Google Ads conversions went when given the issue-style ads option', () => {
    expect(() => gtag({ ads: {} } as never)).toThrow(/use googleAds\(\{ conversions \}\)/);
  });

  it('records delivered only once gtag has the event', async () => {
    installGtagSnippet();
    const { tracker, outcomes } = trackerWith([gtag()]);
    tracker.track('cta_clicked', { cta_id: 'hero' });
    await settle();
    expect(outcomes()).toEqual(['delivered:gtag:cta_clicked']);
  });
});
