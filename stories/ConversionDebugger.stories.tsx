import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { ConversionDebugger, ConversionProvider } from 'conversion-kit';
import { NewsletterSignup } from './demo/NewsletterSignup';
import { demoOf } from './demo/story';

/**
 * The debugger as an app embeds it: an overlay in the corner of the page, opened and closed with
 * its button or the keyboard.
 */
const meta = {
  title: 'Conversion debugger',
  parameters: { layout: 'fullscreen', demo: { url: 'https://www.example.com/newsletter' } },
  render: (_args, context) => {
    const { visit, backend } = demoOf(context);
    return (
      <ConversionProvider tracker={visit.current().tracker}>
        <main className="demo-page">
          <NewsletterSignup subscribe={backend.subscribe} />
        </main>
        <ConversionDebugger />
      </ConversionProvider>
    );
  },
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

/** Keyboard only: Enter opens it with focus inside, Escape closes it with focus back on its button. */
export const Overlay: Story = {
  play: async ({ canvas, canvasElement, userEvent }) => {
    await userEvent.type(canvas.getByLabelText('Email'), 'ada@example.com');
    await userEvent.click(canvas.getByRole('button', { name: 'Subscribe' }));
    await canvas.findByText('You are subscribed. See you next month!');

    const toggle = canvas.getByRole('button', { name: 'Conversions (1)' });
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    toggle.focus();
    await userEvent.keyboard('{Enter}');
    const panel = canvas.getByRole('group', { name: 'Conversion debugger details' });
    await expect(panel).toHaveFocus();
    const log = within(canvasElement).getByRole('log', { name: 'Decisions' });
    await expect(log).toHaveTextContent('Sent newsletter_signup · form_id newsletter');

    await userEvent.keyboard('{Escape}');
    await expect(toggle).toHaveFocus();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  },
};
