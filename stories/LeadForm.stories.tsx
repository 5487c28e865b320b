import type { Meta, StoryContext, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { DemoRequestForm, type DemoRequestCopy } from './demo/DemoRequestForm';
import { DemoSite } from './demo/DemoSite';
import { acceptedByServer, expectNoDecision, findAccepted, findDecision } from './demo/play';
import { demoOf } from './demo/story';

interface LeadFormArgs {
  copy?: Partial<DemoRequestCopy>;
}

/**
 * The demo-request form. `lead_submitted` fires when the CRM accepted the lead, exactly once, and
 * never for a refusal, a network failure or a second click.
 */
const meta = {
  title: 'Lead form',
  parameters: { demo: { url: 'https://www.example.com/demo' } },
  render: (args, context) => {
    const { visit, backend } = demoOf(context);
    return <DemoSite visit={visit} pages={{ '/demo': () => <DemoRequestForm submit={backend.submitLead} copy={args.copy} /> }} />;
  },
} satisfies Meta<LeadFormArgs>;

export default meta;
type Story = StoryObj<typeof meta>;

async function fillIn({ canvas, userEvent }: StoryContext<LeadFormArgs>, labels = { name: 'Full name', email: 'Work email' }) {
  await userEvent.type(canvas.getByLabelText(labels.name), 'Ada Lovelace');
  await userEvent.type(canvas.getByLabelText(labels.email), 'ada@example.com');
}

/**
 * The form on its own, to try by hand. No `play`: test/e2e/storybook.test.ts drives it in a built
 * Storybook (convert, then leave the page at once) and checks what the collector received.
 */
export const Playground: Story = {};

/** The CRM accepts the lead: one conversion, with the lead id, and the collector accepts it. */
export const Success: Story = {
  play: async (context) => {
    const { canvas, canvasElement, userEvent } = context;
    const { visit, backend } = demoOf(context);
    await fillIn(context);
    await userEvent.click(canvas.getByRole('button', { name: 'Request a demo' }));
    await expect(await canvas.findByText('Thanks! We will email you within one business day.')).toBeVisible();
    const [leadId] = backend.leadIds;
    const lead = { form_id: 'demo-request', lead_id: leadId, plan: 'team' };
    await expect(visit.fired('lead_submitted').map((sent) => sent.payload)).toEqual([lead]);
    const decision = await findDecision(canvasElement, 'Sent', 'lead_submitted');
    await expect(decision).toHaveTextContent(`lead_id ${leadId}`);
    await findDecision(canvasElement, 'Sent', 'lead_submitted', 'Delivered to beacon');
    await expect((await acceptedByServer(visit, 'lead_submitted')).map((accepted) => accepted.payload)).toEqual([lead]);
    await expect(await findAccepted(canvasElement, 'lead_submitted')).toHaveTextContent(`lead_id ${leadId}`);
  },
};

/** The server refuses the lead (422): the visitor sees why, nothing fires. */
export const ServerRejects: Story = {
  parameters: { demo: { backend: { leads: [{ status: 422, message: 'This email address is not accepted.' }] } } },
  play: async (context) => {
    const { canvas, canvasElement, userEvent } = context;
    const { visit, backend } = demoOf(context);
    await fillIn(context);
    await userEvent.click(canvas.getByRole('button', { name: 'Request a demo' }));
    await expect(await canvas.findByRole('alert')).toHaveTextContent('We could not send your request: This email address is not accepted.');
    await expect(backend.calls.leads).toBe(1);
    await expect(visit.fired()).toEqual([]);
    await findDecision(canvasElement, 'Sent', 'form_started');
    await expectNoDecision(canvasElement, 'lead_submitted');
  },
};

/** The first attempt never reaches the server; the retry succeeds: one conversion, not two, not zero. */
export const NetworkFailureThenRetry: Story = {
  parameters: { demo: { backend: { leads: ['network-error', 'ok'] } } },
  play: async (context) => {
    const { canvas, canvasElement, userEvent } = context;
    const { visit, backend } = demoOf(context);
    await fillIn(context);
    await userEvent.click(canvas.getByRole('button', { name: 'Request a demo' }));
    await expect(await canvas.findByRole('alert')).toHaveTextContent('We could not reach our server.');
    await expect(visit.fired()).toEqual([]);
    await userEvent.click(canvas.getByRole('button', { name: 'Request a demo' }));
    await expect(await canvas.findByText('Thanks! We will email you within one business day.')).toBeVisible();
    await expect(backend.calls.leads).toBe(2);
    await expect(visit.fired('lead_submitted')).toHaveLength(1);
    await findDecision(canvasElement, 'Sent', 'lead_submitted');
  },
};

/** An impatient double click while the CRM is slow: one request, one conversion, one at the server. */
export const DoubleClickWhilePending: Story = {
  parameters: { demo: { backend: { delayMs: 600 } } },
  play: async (context) => {
    const { canvas, userEvent } = context;
    const { visit, backend } = demoOf(context);
    await fillIn(context);
    await userEvent.dblClick(canvas.getByRole('button', { name: 'Request a demo' }));
    await expect(canvas.getByRole('form', { name: 'Request a demo' })).toHaveAttribute('data-state', 'submitting');
    await expect(await canvas.findByText('Thanks! We will email you within one business day.', {}, { timeout: 3000 })).toBeVisible();
    await expect(backend.calls.leads).toBe(1);
    await expect(visit.fired('lead_submitted')).toHaveLength(1);
    await expect(await acceptedByServer(visit, 'lead_submitted')).toHaveLength(1);
  },
};

/**
 * Marketing rewrote every label and the button: the conversion still fires, because the trigger is
 * the form's `data-track-form` attribute, not a label or a CSS selector.
 */
export const CopyChange: Story = {
  args: {
    copy: { heading: 'Talk to our sales team', name: 'Your name', email: 'Business e-mail', submit: 'Talk to sales' },
  },
  play: async (context) => {
    const { canvas, canvasElement, userEvent } = context;
    const { visit } = demoOf(context);
    await fillIn(context, { name: 'Your name', email: 'Business e-mail' });
    await userEvent.click(canvas.getByRole('button', { name: 'Talk to sales' }));
    await waitFor(() => expect(visit.fired('lead_submitted')).toHaveLength(1));
    await expect(canvasElement.querySelector('[data-track-form="demo-request"]')).toBe(
      canvas.getByRole('form', { name: 'Talk to our sales team' }),
    );
    await findDecision(canvasElement, 'Sent', 'lead_submitted');
  },
};
