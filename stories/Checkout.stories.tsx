import type { Meta, StoryContext, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { Checkout } from './demo/Checkout';
import { DemoSite } from './demo/DemoSite';
import { acceptedByServer, expectNoDecision, findAccepted, findDecision } from './demo/play';
import { demoOf } from './demo/story';

/**
 * The checkout with a payment step. `purchase_completed` fires when the payment provider confirms,
 * with the value it confirmed (135 EUR after the coupon), not the cart's 150 EUR.
 */
const meta = {
  title: 'Checkout',
  parameters: { demo: { url: 'https://www.example.com/checkout' } },
  render: (_args, context) => {
    const { visit, backend } = demoOf(context);
    return <DemoSite visit={visit} pages={{ '/checkout': () => <Checkout pay={backend.pay} /> }} />;
  },
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

async function payNow({ canvas, userEvent }: StoryContext) {
  await userEvent.click(await canvas.findByRole('button', { name: 'Continue to payment' }));
  await userEvent.click(canvas.getByRole('button', { name: 'Pay now' }));
}

/** What the page says once the provider confirmed the visit's order. */
const confirmed = ({ loaded }: Pick<StoryContext, 'loaded'>) =>
  `Payment confirmed: order ${demoOf({ loaded }).backend.order.id}, 135.00 EUR charged.`;

/** The provider confirms: one purchase, with the confirmed value and the coupon, accepted by the collector. */
export const Confirmed: Story = {
  play: async (context) => {
    const { canvas, canvasElement } = context;
    const { visit, backend } = demoOf(context);
    await expect(canvas.getByText('Team plan, 12 months: 150.00 EUR')).toBeVisible();
    await payNow(context);
    await expect(await canvas.findByText(confirmed(context))).toBeVisible();
    const purchase = { order_id: backend.order.id, value: 135, currency: 'EUR', coupon: 'SPRING10' };
    await expect(visit.fired('purchase_completed').map((sent) => sent.payload)).toEqual([purchase]);
    await expect(await findDecision(canvasElement, 'Sent', 'purchase_completed')).toHaveTextContent(`135.00 EUR · order_id ${backend.order.id}`);
    await expect((await acceptedByServer(visit, 'purchase_completed')).map((accepted) => accepted.payload)).toEqual([purchase]);
    await expect(await findAccepted(canvasElement, 'purchase_completed')).toHaveTextContent('135.00 EUR');
  },
};

/** The card is declined: the visitor is told, nothing fires. */
export const PaymentDeclined: Story = {
  parameters: { demo: { backend: { payments: [{ status: 402, message: 'Your card was declined.' }] } } },
  play: async (context) => {
    const { canvas, canvasElement } = context;
    const { visit, backend } = demoOf(context);
    await payNow(context);
    await expect(await canvas.findByRole('alert')).toHaveTextContent('Payment declined: Your card was declined. No money was taken.');
    await expect(backend.calls.payments).toBe(1);
    await expect(visit.fired()).toEqual([]);
    await expectNoDecision(canvasElement, 'purchase_completed');
  },
};

/**
 * The visitor pays, reloads the page and pays again; the provider answers with the same order.
 * One purchase counted, and one at the server; the second shows in the debugger as a duplicate.
 */
export const SameOrderConfirmedTwice: Story = {
  play: async (context) => {
    const { canvas, canvasElement, userEvent } = context;
    const { visit, backend } = demoOf(context);
    await payNow(context);
    await canvas.findByText(confirmed(context));
    await userEvent.click(canvas.getByRole('button', { name: 'Reload' }));
    await expect(await canvas.findByText('Page load 2')).toBeVisible();
    await payNow(context);
    await canvas.findByText(confirmed(context));
    const second = await findDecision(canvasElement, 'Duplicate, not sent again', 'purchase_completed');
    await expect(second).toHaveTextContent(`${backend.order.id} was already sent; it counts once.`);
    await expect(visit.fired('purchase_completed')).toHaveLength(1);
    await expect(visit.current().tracker.duplicates).toHaveLength(1);
    await expect(await acceptedByServer(visit, 'purchase_completed')).toHaveLength(1);
  },
};

/**
 * The provider's API returns the total as text ("135.00"): the contract rejects the purchase, the
 * debugger says which field and why, and the checkout itself still succeeds.
 */
export const InvalidPayload: Story = {
  parameters: {
    demo: { backend: { order: { total: '135.00' as unknown as number } } },
  },
  play: async (context) => {
    const { canvas, canvasElement } = context;
    const { visit } = demoOf(context);
    await payNow(context);
    await expect(await canvas.findByText(confirmed(context))).toBeVisible();
    const rejected = await findDecision(canvasElement, 'Rejected', 'purchase_completed');
    await expect(rejected).toHaveTextContent('value: Invalid input: expected number, received string');
    await waitFor(() => expect(visit.current().tracker.rejected).toHaveLength(1));
    await expect(visit.fired()).toEqual([]);
  },
};
