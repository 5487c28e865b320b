import type { Meta, StoryContext, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { Checkout } from './demo/Checkout';
import { DemoSite } from './demo/DemoSite';
import { acceptedByServer, findDecision } from './demo/play';
import { demoOf } from './demo/story';
import { ThankYouPage } from './demo/ThankYouPage';

/**
 * A checkout that redirects to a thank-you page: the checkout hands the confirmed purchase off, the
 * thank-you page reports it once. Opened directly or refreshed, it reports nothing.
 */
const meta = {
  title: 'Thank-you page',
  parameters: { demo: { url: 'https://www.example.com/checkout' } },
  render: (_args, context) => {
    const { visit, backend } = demoOf(context);
    return (
      <DemoSite
        visit={visit}
        pages={{
          '/checkout': (navigation) => (
            <Checkout pay={backend.pay} report="thank-you-page" onConfirmed={() => navigation.open('/thank-you')} />
          ),
          '/thank-you': () => <ThankYouPage />,
        }}
      />
    );
  },
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

async function checkOut({ canvas, userEvent }: StoryContext) {
  await userEvent.click(canvas.getByRole('button', { name: 'Continue to payment' }));
  await userEvent.click(canvas.getByRole('button', { name: 'Pay now' }));
  await canvas.findByRole('heading', { name: 'Thank you for your order' });
}

/**
 * Paid, redirected: the thank-you page reports the purchase once, and the collector accepts it; the
 * checkout page reported nothing.
 */
export const WithHandoff: Story = {
  play: async (context) => {
    const { canvas, canvasElement } = context;
    const { visit, backend } = demoOf(context);
    await checkOut(context);
    await expect(canvas.getByRole('textbox', { name: 'Address' })).toHaveValue('https://www.example.com/thank-you');
    const [checkout, thankYou] = visit.loads();
    await expect(checkout!.tracker.fired).toEqual([]);
    const purchase = { order_id: backend.order.id, value: 135, currency: 'EUR', coupon: 'SPRING10' };
    await expect(thankYou!.tracker.fired.map((sent) => sent.payload)).toEqual([purchase]);
    await expect(await findDecision(canvasElement, 'Sent', 'purchase_completed')).toHaveTextContent('135.00 EUR');
    await expect((await acceptedByServer(visit, 'purchase_completed')).map((accepted) => accepted.payload)).toEqual([purchase]);
  },
};

/** Someone opens the thank-you URL directly (a bookmark, a shared link): nothing fires. */
export const OpenedDirectly: Story = {
  parameters: { demo: { url: 'https://www.example.com/thank-you' } },
  play: async (context) => {
    const { canvas, canvasElement } = context;
    const { visit } = demoOf(context);
    await expect(await canvas.findByRole('heading', { name: 'Thank you for your order' })).toBeVisible();
    await expect(visit.records()).toEqual([]);
    await expect(within(canvasElement).getByText(/Nothing tracked yet/)).toBeVisible();
  },
};

/** The visitor refreshes the thank-you page: the purchase was reported once, the reload adds nothing. */
export const Refreshed: Story = {
  play: async (context) => {
    const { canvas, canvasElement, userEvent } = context;
    const { visit } = demoOf(context);
    await checkOut(context);
    await userEvent.click(canvas.getByRole('button', { name: 'Reload' }));
    await expect(await canvas.findByText('Page load 3')).toBeVisible();
    await expect(canvas.getByRole('heading', { name: 'Thank you for your order' })).toBeVisible();
    await expect(visit.current().tracker.records).toEqual([]);
    await expect(visit.fired('purchase_completed')).toHaveLength(1);
    await expect(within(canvasElement).getByText(/Nothing tracked yet/)).toBeVisible();
  },
};
