import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineContract, type Destination } from 'conversion-kit/core';
import {
  beacon,
  dataLayer,
  googleAds,
  gtag,
  hashUserData,
  metaPixel,
  segment,
  type HashedUserData,
  type Sha256Hex,
} from 'conversion-kit/destinations';
import '../fixtures/contract'; // registers the demo contract

describe('conversion tracking maps, typed by the registered contract', () => {
  it('accept the contract events', () => {
    expectTypeOf(gtag({ events: { purchase_completed: 'purchase', lead_submitted: 'generate_lead', cta_clicked: false } })).toEqualTypeOf<Destination>();
    googleAds({ conversions: { purchase_completed: 'AW-1/abc' } });
    metaPixel({ events: { purchase_completed: 'Purchase', lead_submitted: 'Lead' } });
    segment({ events: { purchase_completed: 'Order Completed' } });
    dataLayer({ events: { cta_clicked: false } });
  });

  it('reject a key that is not an event of the contract', () => {
    // @ts-expect-error "purchase" is not a contract event
    gtag({ events: { purchase: 'purchase' } });
    // @ts-expect-error "purchase" is not a contract event
    googleAds({ conversions: { purchase: 'AW-1/abc' } });
    // @ts-expect-error "Purchase" is not a contract event
    metaPixel({ events: { Purchase: 'Purchase' } });
    // @ts-expect-error "order_completed" is not a contract event
    segment({ events: { order_completed: 'Order Completed' } });
    // @ts-expect-error "cta_click" is not a contract event
    dataLayer({ events: { cta_click: false } });
  });

  it("type each entry's params by that event's payload", () => {
    gtag({
      events: {
        purchase_completed: {
          name: 'purchase',
          params: ({ payload, dedupeKey }) => {
            expectTypeOf(payload.value).toEqualTypeOf<number>();
            expectTypeOf(dedupeKey).toEqualTypeOf<string | null>();
            return { value: payload.value };
          },
        },
        // @ts-expect-error lead_submitted has no value field
        lead_submitted: { name: 'generate_lead', params: ({ payload }) => ({ value: payload.value }) },
      },
    });
    metaPixel({ events: { lead_submitted: { name: 'Lead', params: ({ payload }) => ({ content_name: payload.plan }) } } });
  });

  it('type the map by an explicit contract', () => {
    const other = defineContract({ trial_started: { schema: z.object({ plan: z.string() }), conversion: true } });
    metaPixel<typeof other>({ events: { trial_started: 'StartTrial' } });
    // @ts-expect-error purchase_completed is not an event of this contract
    metaPixel<typeof other>({ events: { purchase_completed: 'Purchase' } });
  });

  it('require a conversion map for googleAds and metaPixel, a url for beacon', () => {
    // @ts-expect-error conversions is required
    googleAds({});
    // @ts-expect-error events is required
    metaPixel({});
    // @ts-expect-error url is required
    beacon({});
  });
});

describe('hashed user data', () => {
  it('comes from hashUserData', () => {
    expectTypeOf(hashUserData({ email: 'a@b.c' })).toEqualTypeOf<Promise<HashedUserData>>();
    expectTypeOf<HashedUserData['google']['sha256_email_address']>().toEqualTypeOf<Sha256Hex | undefined>();
  });

  it('is the only user data gtag, googleAds and metaPixel accept: raw strings are a type error', () => {
    const hashed = {} as HashedUserData;
    gtag({ userData: () => hashed });
    googleAds({ conversions: {}, userData: () => hashed });
    metaPixel({ events: {}, pixelId: '1', userData: () => hashed });
    // @ts-expect-error a raw e-mail address is not a Sha256Hex
    gtag({ userData: () => ({ google: { sha256_email_address: 'jane@example.com' }, meta: {} }) });
    // @ts-expect-error raw keys do not exist
    metaPixel({ events: {}, pixelId: '1', userData: () => ({ google: {}, meta: { email: 'jane@example.com' } }) });
  });
});
