import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import { DemoRequestForm } from './demo/DemoRequestForm';
import { DemoSite } from './demo/DemoSite';
import { LandingPage } from './demo/LandingPage';
import { acceptedByServer, debuggerDetail, findAccepted, findDecision } from './demo/play';
import { demoOf } from './demo/story';

const AD_URL = 'https://www.example.com/?utm_source=google&utm_medium=cpc&utm_campaign=spring_sale&gclid=EAIaIQobChMI_demo';

/** Campaign attribution across pages: the ad's parameters are captured on landing and carried. */
const meta = {
  title: 'Campaign',
  parameters: { demo: { url: AD_URL } },
  render: (_args, context) => {
    const { visit, backend } = demoOf(context);
    return (
      <DemoSite
        visit={visit}
        pages={{
          '/': (navigation) => <LandingPage onRequestDemo={() => navigation.open('/demo')} />,
          '/demo': () => <DemoRequestForm submit={backend.submitLead} />,
        }}
      />
    );
  },
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

/**
 * A visitor clicks a Google ad, lands on the home page, goes to the demo page (a new page load,
 * without any parameter in its URL) and converts there: the lead carries the ad's campaign, all the
 * way to the collector.
 */
export const PaidAdThenConvertOnAnotherPage: Story = {
  play: async (context) => {
    const { canvas, canvasElement, userEvent } = context;
    const { visit } = demoOf(context);
    await userEvent.click(canvas.getByRole('button', { name: 'Book a demo' }));
    await expect(await canvas.findByText('Page load 2')).toBeVisible();
    await expect(canvas.getByRole('textbox', { name: 'Address' })).toHaveValue('https://www.example.com/demo');

    await userEvent.type(canvas.getByLabelText('Full name'), 'Ada Lovelace');
    await userEvent.type(canvas.getByLabelText('Work email'), 'ada@example.com');
    await userEvent.click(canvas.getByRole('button', { name: 'Request a demo' }));
    await findDecision(canvasElement, 'Sent', 'lead_submitted');

    const [lead] = visit.fired('lead_submitted');
    const ad = { utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'spring_sale', gclid: 'EAIaIQobChMI_demo' };
    await expect(lead!.campaign.first).toMatchObject({ ...ad, landing_page: 'https://www.example.com/' });
    await expect(lead!.campaign.last).toMatchObject(ad);
    await expect(debuggerDetail(canvasElement, 'First touch')).toHaveTextContent(
      'google / cpc · campaign spring_sale · gclid EAIaIQobChMI_demo · landed on www.example.com/',
    );
    await expect(debuggerDetail(canvasElement, 'Last touch')).toHaveTextContent('Same as the first touch');

    const [atServer] = await acceptedByServer(visit, 'lead_submitted');
    await expect(atServer!.campaign.first).toMatchObject(ad);
    await findAccepted(canvasElement, 'lead_submitted');
  },
};
