import { useEffect, useMemo, useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { healthRange, judgeHealth, memoryStatsStore, renderHealthPage, type StatsRow } from 'conversion-kit/server';
import { contract } from '../test/fixtures/contract';
import { BAD_RELEASE, LEAD_ISSUE, simulatedFortnight } from './demo/fortnight';
import { DEMO_HEALTH_TOKEN } from './demo/health';

/** The story's clock: the fortnight ends on a Friday afternoon. */
const NOW = Date.parse('2026-12-04T16:30:00Z');

/** The health page of the simulated fortnight, judged in the browser at `now`. */
function SimulatedHealthPage({ now }: { now: number }) {
  const html = useMemo(() => {
    const stats = memoryStatsStore({ now: () => now });
    void stats.add(simulatedFortnight(now));
    const rows = stats.read(healthRange(now)) as readonly StatsRow[];
    return renderHealthPage(judgeHealth(rows, { contract, now }));
  }, [now]);
  return <HealthFrame html={html} />;
}

/** The demo collector's live page, as `npm start` serves it at /api/collect/health. */
function LiveHealthPage() {
  const [html, setHtml] = useState<string>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    const headers = { accept: 'text/html', authorization: `Bearer ${DEMO_HEALTH_TOKEN}` };
    fetch('/api/collect/health', { headers })
      .then(async (response) => (response.ok ? setHtml(await response.text()) : setProblem(`/api/collect/health answered ${response.status}`)))
      .catch(() => setProblem('No collector answers at /api/collect/health (a static build has none).'));
  }, []);
  if (problem) return <p role="alert">{problem}</p>;
  return html ? <HealthFrame html={html} /> : <p>Loading the health page…</p>;
}

/** A health page in a frame, as a browser shows it (the page brings its own styles). */
function HealthFrame({ html }: { html: string }) {
  const [height, setHeight] = useState(900);
  return (
    <iframe
      title="Conversion health"
      srcDoc={html}
      style={{ width: '100%', height, border: 0 }}
      onLoad={(event) => setHeight(event.currentTarget.contentDocument?.documentElement.scrollHeight ?? 900)}
    />
  );
}

/**
 * The health page `GET /api/collect/health` serves (`Accept: text/html`, with the collector's
 * `healthToken`), for a simulated fortnight of the demo shop in which release v1.9.0, 28 hours ago,
 * halved purchases and broke the demo request form's payload. `npm start` serves the live page of the
 * demo collector at /api/collect/health (token: see stories/demo/server/collector.ts).
 */
const meta = {
  title: 'Health page',
  parameters: { layout: 'fullscreen' },
  render: () => <SimulatedHealthPage now={NOW} />,
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

/** The fortnight's verdict: purchases dropped since v1.9.0, leads rejected since v1.9.0, the rest recording. */
export const AfterABadRelease: Story = {
  play: async ({ canvasElement }) => {
    const frame = await within(canvasElement).findByTitle<HTMLIFrameElement>('Conversion health');
    const page = await waitFor(() => {
      const body = frame.contentDocument?.body;
      if (!body?.querySelector('main')) throw new Error('the health page has not loaded yet');
      return within(body);
    });
    const statusOf = (event: string) => page.getByRole('row', { name: new RegExp(`^${event}`) }).getAttribute('data-status');
    await expect(page.getByRole('status')).toHaveTextContent('2 conversions need attention: purchase_completed (dropped), lead_submitted (invalid rising).');
    await expect(statusOf('purchase_completed')).toBe('dropped');
    await expect(statusOf('lead_submitted')).toBe('invalid_rising');
    await expect(statusOf('newsletter_signup')).toBe('recording');
    await expect(statusOf('form_started')).toBe('recording');
    await expect(statusOf('cta_clicked')).toBe('recording');
    await expect(page.getByText(`Check what release ${BAD_RELEASE} changed on the way to purchase_completed`, { exact: false })).toBeVisible();
    await expect(page.getAllByText(LEAD_ISSUE, { exact: false }).length).toBeGreaterThan(0);
    // Every event has its 14 days, with the release marked on them.
    await expect(page.getAllByRole('img', { name: /valid reports a day over 14 days/ })).toHaveLength(5);
    await expect(page.getByRole('img', { name: /^purchase_completed/ })).toHaveAccessibleName(new RegExp(`release ${BAD_RELEASE.replaceAll('.', '\\.')} on 2026-12-03`));
  },
};

/**
 * The demo collector's live page, fetched from the dev server with the demo token (what
 * http://localhost:6006/api/collect/health shows under `npm start`): the simulated fortnight it starts
 * with, plus what the stories sent since.
 */
export const LiveDemoCollector: Story = {
  render: () => <LiveHealthPage />,
  play: async ({ canvasElement }) => {
    const frame = await within(canvasElement).findByTitle<HTMLIFrameElement>('Conversion health', {}, { timeout: 10_000 });
    const page = await waitFor(() => {
      const body = frame.contentDocument?.body;
      if (!body?.querySelector('main')) throw new Error('the health page has not loaded yet');
      return within(body);
    });
    await expect(page.getAllByRole('img', { name: /valid reports a day over 14 days/ })).toHaveLength(5);
    // What the stories send is valid: the fortnight's rejected leads still dominate the last 24 hours.
    await expect(page.getByRole('row', { name: /^lead_submitted/ })).toHaveAttribute('data-status', 'invalid_rising');
  },
};
