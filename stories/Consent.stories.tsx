import type { Meta, StoryContext, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { ConsentBanner } from './demo/ConsentBanner';
import { DemoSite } from './demo/DemoSite';
import { NewsletterSignup } from './demo/NewsletterSignup';
import { acceptedByServer, debuggerDetail, findDecision } from './demo/play';
import { demoOf } from './demo/story';

/**
 * A conversion before the visitor answered the cookie banner is held, not lost: accepting sends it,
 * declining drops it.
 */
const meta = {
  title: 'Consent',
  parameters: { demo: { url: 'https://www.example.com/newsletter', consent: { analytics: 'pending', ads: 'pending' } } },
  render: (_args, context) => {
    const { visit, backend } = demoOf(context);
    return (
      <DemoSite
        visit={visit}
        pages={{
          '/newsletter': () => (
            <>
              <ConsentBanner />
              <NewsletterSignup subscribe={backend.subscribe} />
            </>
          ),
        }}
      />
    );
  },
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

/** Subscribes before answering the banner; the debugger shows the signup held for consent. */
async function subscribeBeforeDeciding({ canvas, canvasElement, userEvent, loaded }: StoryContext) {
  const { visit } = demoOf({ loaded });
  await userEvent.type(canvas.getByLabelText('Email'), 'ada@example.com');
  await userEvent.click(canvas.getByRole('button', { name: 'Subscribe' }));
  await canvas.findByText('You are subscribed. See you next month!');
  await findDecision(canvasElement, 'Held for consent', 'newsletter_signup');
  await expect(debuggerDetail(canvasElement, 'Analytics')).toHaveTextContent('Not decided yet');
  await expect(visit.current().tracker.held).toHaveLength(1);
  await expect(visit.fired()).toEqual([]);
}

/** Held, then released when the visitor accepts: one conversion, delivered and accepted by the collector. */
export const PendingThenGranted: Story = {
  play: async (context) => {
    const { canvas, canvasElement, userEvent } = context;
    const { visit } = demoOf(context);
    await subscribeBeforeDeciding(context);
    await userEvent.click(canvas.getByRole('button', { name: 'Accept all' }));
    await expect(visit.fired('newsletter_signup')).toHaveLength(1);
    await expect(visit.current().tracker.held).toEqual([]);
    await expect(debuggerDetail(canvasElement, 'Analytics')).toHaveTextContent('Granted');
    await findDecision(canvasElement, 'Held for consent', 'newsletter_signup', 'Delivered to beacon');
    await expect(await acceptedByServer(visit, 'newsletter_signup')).toHaveLength(1);
  },
};

/** Held, then dropped when the visitor declines: nothing is sent, and the debugger says why. */
export const Denied: Story = {
  play: async (context) => {
    const { canvas, canvasElement, userEvent } = context;
    const { visit } = demoOf(context);
    await subscribeBeforeDeciding(context);
    await userEvent.click(canvas.getByRole('button', { name: 'Reject all' }));
    await expect(visit.fired()).toEqual([]);
    await expect(visit.current().tracker.dropped.map((drop) => drop.reason)).toEqual(['consent_denied']);
    const held = await findDecision(canvasElement, 'Held for consent', 'newsletter_signup');
    await expect(held).toHaveTextContent('Not sent to beacon: the visitor declined consent');
    const counts = within(canvasElement).getByRole('row', { name: /newsletter_signup/ });
    await expect(within(counts).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['0', '1']); // Counted, Dropped
    await expect(debuggerDetail(canvasElement, 'Ads')).toHaveTextContent('Denied');
  },
};
