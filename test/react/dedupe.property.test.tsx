import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import fc from 'fast-check';
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { ConversionProvider, TrackedCheckout, TrackedForm } from 'conversion-kit';
import { memoryStorage, type Envelope } from 'conversion-kit/core';
import { deferred, demoTracker } from './helpers';

type Action =
  | { type: 'pay'; order: number }
  | { type: 'subscribe' }
  | { type: 'settle'; ok: boolean }
  | { type: 'remount' }
  | { type: 'reload' };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ type: fc.constant('pay' as const), order: fc.integer({ min: 1, max: 3 }) }),
  fc.constant({ type: 'subscribe' as const }),
  fc.record({ type: fc.constant('settle' as const), ok: fc.boolean() }),
  fc.constant({ type: 'remount' as const }),
  fc.constant({ type: 'reload' as const }),
);

interface Pending {
  settle(ok: boolean): void;
}

/**
 * A checkout (purchases deduped by order id) and a newsletter form (no dedup key: each confirmed
 * signup is its own conversion) on one page, driven by random clicks, settlements, remounts and
 * reloads. Whatever happens, the conversions sent equal the distinct confirmed successes.
 */
async function runScenario(actions: Action[]) {
  const storage = memoryStorage();
  const sent: Envelope[] = [];
  const confirmedOrders = new Set<string>();
  let confirmedSignups = 0;
  let requests = 0;
  let queue: Pending[] = []; // requests of the live page, oldest first
  let nextOrder = 1;
  let key = 0;

  const confirm = <T,>(value: T, onConfirmed: () => void) => {
    requests += 1;
    const op = deferred<T>();
    queue.push({
      settle(ok) {
        if (ok) {
          onConfirmed();
          op.resolve(value);
        } else op.reject(new Error('declined'));
      },
    });
    return op.promise;
  };

  const page = () => {
    const tracker = demoTracker({ storage });
    tracker.subscribe((record) => {
      if (record.type === 'delivered') sent.push(record.envelope);
    });
    return (
      <StrictMode>
        <ConversionProvider tracker={tracker}>
          <TrackedCheckout
            key={`checkout-${key}`}
            conversion="purchase_completed"
            onConfirm={() => {
              const order = { order_id: `A-${nextOrder}`, value: 10, currency: 'EUR' };
              return confirm(order, () => confirmedOrders.add(order.order_id));
            }}
          >
            {({ checkout }) => <button onClick={checkout}>Pay</button>}
          </TrackedCheckout>
          <TrackedForm
            key={`form-${key}`}
            conversion="newsletter_signup"
            formId="footer"
            onSubmit={() => confirm({}, () => (confirmedSignups += 1))}
          >
            <button>Subscribe</button>
          </TrackedForm>
        </ConversionProvider>
      </StrictMode>
    );
  };

  let view = render(page());
  for (const step of actions) {
    await act(async () => {
      if (step.type === 'pay') {
        nextOrder = step.order;
        fireEvent.click(screen.getByRole('button', { name: 'Pay' }));
      } else if (step.type === 'subscribe') {
        fireEvent.click(screen.getByRole('button', { name: 'Subscribe' }));
      } else if (step.type === 'settle') {
        queue.shift()?.settle(step.ok);
      } else if (step.type === 'remount') {
        key += 1; // components remount; their pending requests still complete
        view.rerender(page());
      } else {
        view.unmount(); // a reload: the page's pending requests never report back
        queue = [];
        view = render(page());
      }
    });
  }
  await act(async () => {
    for (const pending of queue.splice(0)) pending.settle(true);
  });
  view.unmount();
  cleanup();

  const purchases = sent.filter((e) => e.event === 'purchase_completed').map((e) => e.dedupeKey);
  const signups = sent.filter((e) => e.event === 'newsletter_signup');
  return { purchases, signups: signups.length, confirmedOrders, confirmedSignups, requests };
}

describe('dedup invariant', () => {
  it('sends exactly one conversion per distinct confirmed success, whatever the sequence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 30 }), async (actions) => {
        const result = await runScenario(actions);
        expect([...result.purchases].sort()).toEqual([...result.confirmedOrders].sort());
        expect(result.signups).toBe(result.confirmedSignups);
      }),
      { numRuns: 60 },
    );
  }, 30_000); // 60 runs of up to 30 steps: about 5 s alone, more on a loaded machine

  it('sends one request per click burst while a request is pending', async () => {
    const result = await runScenario([
      { type: 'pay', order: 1 },
      { type: 'pay', order: 1 },
      { type: 'pay', order: 2 },
      { type: 'settle', ok: true },
    ]);
    expect(result.requests).toBe(1);
    expect(result.purchases).toEqual(['A-1']);
  });
});
