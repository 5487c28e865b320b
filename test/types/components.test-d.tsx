import { describe, expectTypeOf, it } from 'vitest';
import { TrackedCheckout, TrackedForm, useConversion } from 'conversion-kit';
import '../fixtures/contract';

const order = { order_id: 'A-1', value: 10, currency: 'EUR' };

describe('component typing', () => {
  it('lets a checkout without a payload mapper confirm only a valid payload', () => {
    void (<TrackedCheckout conversion="purchase_completed" onConfirm={async () => order}>{() => null}</TrackedCheckout>);
    void (
      // @ts-expect-error the confirmed order is not a purchase_completed payload and no mapper is given
      <TrackedCheckout conversion="purchase_completed" onConfirm={async () => ({ id: 1 })}>{() => null}</TrackedCheckout>
    );
    void (
      <TrackedCheckout
        conversion="purchase_completed"
        onConfirm={async () => ({ id: 'B-2', cents: 4990 })}
        payload={(confirmed) => ({ order_id: confirmed.id, value: confirmed.cents / 100, currency: 'EUR' })}
      >
        {() => null}
      </TrackedCheckout>
    );
  });

  it('types the start payload by the start event', () => {
    void (<TrackedForm conversion="lead_submitted" formId="f" onSubmit={() => null} startEvent="cta_clicked" startPayload={{ cta_id: 'hero' }} />);
    // @ts-expect-error cta_clicked needs cta_id, not form_id
    void (<TrackedForm conversion="lead_submitted" formId="f" onSubmit={() => null} startEvent="cta_clicked" startPayload={{ form_id: 'f' }} />);
    // @ts-expect-error the form owns onFocusCapture for its start event
    void (<TrackedForm conversion="lead_submitted" formId="f" onSubmit={() => null} onFocusCapture={() => {}} />);
  });

  it('makes trackOnSuccess without a mapper accept only a payload', async () => {
    const { trackOnSuccess } = useConversion('newsletter_signup');
    expectTypeOf(await trackOnSuccess(Promise.resolve({ form_id: 'footer' }))).toEqualTypeOf<{ form_id: string }>();
    // @ts-expect-error a Response is not a newsletter_signup payload: pass a mapper
    await trackOnSuccess(fetch('/api/subscribe'));
    await trackOnSuccess(fetch('/api/subscribe'), () => ({ form_id: 'footer' }));
  });
});
