import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  createTracker,
  defineContract,
  useConversion,
  useTracker,
  type EnvelopeOf,
  type ConversionName,
  type PayloadInput,
  type RegisteredContract,
} from 'conversion-kit';
import { contract } from '../fixtures/contract';

describe('contract typing', () => {
  const tracker = createTracker({ contract });

  it('infers each event payload from its schema', () => {
    expectTypeOf<PayloadInput<typeof contract, 'purchase_completed'>>().toEqualTypeOf<{
      order_id: string;
      value: number;
      currency: string;
      coupon?: string | undefined;
    }>();
    tracker.track('purchase_completed', { order_id: 'A', value: 1, currency: 'EUR' });
    // @ts-expect-error value must be a number
    tracker.track('purchase_completed', { order_id: 'A', value: 'x', currency: 'EUR' });
    // @ts-expect-error currency is required
    tracker.track('purchase_completed', { order_id: 'A', value: 1 });
    // @ts-expect-error not an event of the contract
    tracker.track('purchase', {});
  });

  it('lists the conversions of a contract', () => {
    expectTypeOf<ConversionName<typeof contract>>().toEqualTypeOf<'purchase_completed' | 'lead_submitted' | 'newsletter_signup'>();
  });

  it('rejects a dedupeBy that is not a field of the schema', () => {
    defineContract({ a_b: { schema: z.object({ id: z.string() }), dedupeBy: 'id' } });
    // @ts-expect-error orderId is not a field
    defineContract({ a_b: { schema: z.object({ id: z.string() }), dedupeBy: 'orderId' } });
  });

  it('rejects event names that are not lowercase snake_case', () => {
    // @ts-expect-error camelCase
    defineContract({ purchaseCompleted: { schema: z.object({ id: z.string() }) } });
    // @ts-expect-error kebab-case
    defineContract({ 'purchase-completed': { schema: z.object({ id: z.string() }) } });
    defineContract({ purchase_completed_v2: { schema: z.object({ id: z.string() }) } });
  });

  it('narrows envelopes by event name', () => {
    const handle = (envelope: EnvelopeOf<typeof contract>) => {
      if (envelope.event === 'purchase_completed') expectTypeOf(envelope.payload.value).toEqualTypeOf<number>();
      if (envelope.event === 'cta_clicked') expectTypeOf(envelope.payload).toEqualTypeOf<{ cta_id: string }>();
    };
    void handle;
  });
});

describe('registration', () => {
  it('types hooks by the registered contract without generics', () => {
    expectTypeOf<RegisteredContract>().toEqualTypeOf<typeof contract>();
    const { track } = useConversion('lead_submitted');
    track({ form_id: 'demo', plan: 'team' });
    // @ts-expect-error plan is an enum
    track({ form_id: 'demo', plan: 'gold' });
    // @ts-expect-error not an event of the registered contract
    useConversion('lead_submit');
    expectTypeOf(useTracker().contract).toEqualTypeOf<typeof contract>();
  });
});
