// A consumer of the packed package: every public component and hook, type-checked by
// scripts/check-package.mjs with @types/react 18 and 19, strict, without skipLibCheck or @types/node.
import type { ReactElement, ReactNode } from 'react';
import {
  ConversionDebugger,
  ConversionOnView,
  ConversionProvider,
  TrackedCheckout,
  TrackedForm,
  createTracker,
  useCampaign,
  useConsent,
  useConversion,
  useTracker,
} from 'conversion-kit';
import { beacon, dataLayer } from 'conversion-kit/destinations';
import { createTestTracker } from 'conversion-kit/testing';
import { contract } from './contract';

export const tracker = createTracker({ contract, destinations: [dataLayer(), beacon({ url: '/api/collect' })] });
export const testTracker = createTestTracker({ contract });

type Order = { order_id: string; value: number; currency: string };

function Cta(): ReactElement {
  const { track } = useConversion('lead_submitted');
  const campaign = useCampaign();
  const consent = useConsent();
  const fromHook = useTracker();
  return (
    <button
      data-source={campaign.last?.utm_source}
      data-tracker={String(fromHook === tracker)}
      data-consent={JSON.stringify(consent)}
      onClick={() => track({ form_id: 'cta' })}
    >
      Talk to sales
    </button>
  );
}

export function Shop({ children, pay }: { children?: ReactNode; pay: () => Promise<Order> }): ReactElement {
  return (
    <ConversionProvider tracker={tracker}>
      {children}
      <Cta />
      <TrackedForm conversion="lead_submitted" formId="demo-request" onSubmit={(data) => fetch('/api/leads', { method: 'POST', body: data })}>
        <input name="email" type="email" required aria-label="Work email" />
        <button>Request a demo</button>
      </TrackedForm>
      <TrackedCheckout conversion="purchase_completed" onConfirm={pay}>
        {({ checkout, state }) => (
          <button onClick={checkout} disabled={state === 'submitting'}>
            Pay
          </button>
        )}
      </TrackedCheckout>
      <ConversionOnView conversion="purchase_completed">
        <h1>Thank you</h1>
      </ConversionOnView>
      <ConversionOnView conversion="purchase_completed" payload={{ order_id: 'A-1', value: 10, currency: 'EUR' }} />
      <ConversionDebugger defaultOpen />
    </ConversionProvider>
  );
}
