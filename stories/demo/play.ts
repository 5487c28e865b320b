import type { Envelope } from 'conversion-kit';
import { expect, waitFor, within } from 'storybook/test';
import type { DemoVisit } from './visit';

/**
 * What `play` functions read from the conversion debugger next to the demo: the same words a
 * marketer reads, so a story fails when the debugger would mislead them.
 */

/** The decisions the debugger lists (`<li>` of its log), oldest first. */
export function decisionItems(canvasElement: HTMLElement): HTMLElement[] {
  const log = within(canvasElement).getByRole('log', { name: 'Decisions' });
  return [...log.querySelectorAll<HTMLElement>(':scope > ol > li')];
}

/**
 * How long to wait for the server's side: the beacon batches for up to a second (its default
 * `flushIntervalMs`) before it posts, then the demo asks the collector every 250 ms.
 */
export const SERVER_TIMEOUT = 5000;

/**
 * Waits for the decision whose text starts with `status event` and returns its `<li>`. A decision
 * shows at once; what its destination did comes later: with `outcome` ("Delivered to beacon"), it
 * waits up to `SERVER_TIMEOUT` for the decision to list it too.
 */
export function findDecision(canvasElement: HTMLElement, status: string, event: string, outcome?: string): Promise<HTMLElement> {
  return waitFor(
    () => {
      const items = decisionItems(canvasElement);
      const match = items.find((item) => item.textContent?.startsWith(`${status} ${event}`) && item.textContent.includes(outcome ?? ''));
      if (!match) {
        const shown = items.map((item) => item.textContent).join('\n  ') || '(nothing)';
        const wanted = outcome ? `"${status} ${event}" decision with "${outcome}"` : `"${status} ${event}" decision`;
        throw new Error(`The debugger shows no ${wanted}. It shows:\n  ${shown}`);
      }
      return match;
    },
    { timeout: outcome ? SERVER_TIMEOUT : 1000 },
  );
}

/** Asserts the debugger lists no decision about `event`. */
export async function expectNoDecision(canvasElement: HTMLElement, event: string) {
  const about = decisionItems(canvasElement).filter((item) => item.textContent?.includes(` ${event}`));
  await expect(about.map((item) => item.textContent)).toEqual([]);
}

/** The debugger's definition of `term` (a consent category, a touch). */
export function debuggerDetail(canvasElement: HTMLElement, term: string): HTMLElement {
  const debug = within(within(canvasElement).getByRole('region', { name: 'Conversion debugger' }));
  return debug.getByText(term, { selector: 'dt' }).nextElementSibling as HTMLElement;
}

/** The events the "Accepted by the server" list shows (`<li>`), oldest first. */
export function serverItems(canvasElement: HTMLElement): HTMLElement[] {
  const list = within(canvasElement).queryByRole('list', { name: 'Events at the collector' });
  return list ? [...list.querySelectorAll<HTMLElement>(':scope > li')] : [];
}

/** Waits until the "Accepted by the server" list shows `event` as accepted, and returns its `<li>`. */
export function findAccepted(canvasElement: HTMLElement, event: string): Promise<HTMLElement> {
  return waitFor(
    () => {
      const items = serverItems(canvasElement);
      const match = items.find((item) => item.textContent?.startsWith(`Accepted ${event}`));
      if (!match) {
        const shown = items.map((item) => item.textContent).join('\n  ') || '(nothing)';
        throw new Error(`The collector has not accepted ${event}. The demo shows:\n  ${shown}`);
      }
      return match;
    },
    { timeout: SERVER_TIMEOUT },
  );
}

/**
 * Waits until the collector accepted every event the visit fired, then returns the accepted
 * envelopes of `event`: what the server holds, not what the browser sent.
 */
export async function acceptedByServer(visit: DemoVisit, event: string): Promise<Envelope[]> {
  await waitFor(() => expect(visit.server().status).toBe('done'), { timeout: SERVER_TIMEOUT });
  return visit
    .server()
    .events.flatMap(({ accepted }) => (accepted && accepted.envelope.event === event ? [accepted.envelope] : []));
}
